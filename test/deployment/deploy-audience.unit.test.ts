/**
 * The deploy's audience check (`scripts/deploy-functions.sh audience api`, run by cloudbuild.yaml
 * before the API deploys) against a stand-in `gcloud` on the PATH that answers `describe` as the
 * real one would: the build stops, naming the value to pass, when `_AUTH_AUDIENCE` is not what the
 * daily sweep's Cloud Scheduler token names (the API's URL), and goes on when it is.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/test-environment.js';

const FUNCTION_URL = 'https://us-central1-nna-registry-dev.cloudfunctions.net/api';
const RUN_URL = 'https://api-abc123-uc.a.run.app';

interface Cloud {
  /** The deployed function's URLs, or undefined before its first deploy. */
  function?: { url: string; uri: string };
  /** The sweep job's OIDC audience, or undefined when infra has not created the job yet. */
  sweepAudience?: string;
}

/** A `gcloud` that answers the two describes the check makes, and fails like gcloud for what is not there. */
function fakeGcloud(cloud: Cloud): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'fake-gcloud-'));
  const script = `#!/usr/bin/env bash
case "$*" in
  "functions describe api "*"value(url)"*) ${cloud.function ? `echo '${cloud.function.url}'` : `echo 'ERROR: (gcloud.functions.describe) NOT_FOUND' >&2; exit 1`} ;;
  "functions describe api "*"value(serviceConfig.uri)"*) ${cloud.function ? `echo '${cloud.function.uri}'` : `echo 'ERROR: (gcloud.functions.describe) NOT_FOUND' >&2; exit 1`} ;;
  "scheduler jobs describe nna-purge-deleted-assets "*) ${cloud.sweepAudience ? `echo '${cloud.sweepAudience}'` : `echo 'ERROR: (gcloud.scheduler.jobs.describe) NOT_FOUND' >&2; exit 1`} ;;
  *) echo "unexpected gcloud $*" >&2; exit 3 ;;
esac
`;
  writeFileSync(path.join(directory, 'gcloud'), script);
  chmodSync(path.join(directory, 'gcloud'), 0o755);
  return directory;
}

function check(audience: string, cloud: Cloud): { status: number | null; output: string } {
  const result = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts/deploy-functions.sh'), 'audience', 'api'], {
    env: {
      ...process.env,
      PATH: `${fakeGcloud(cloud)}:${process.env['PATH']}`,
      REGION: 'us-central1',
      PROJECT_ID: 'nna-registry-dev',
      AUTH_AUDIENCE: audience,
      SWEEP_JOB: 'nna-purge-deleted-assets',
    },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('deploy: the auth audience check', () => {
  it('stops a build whose audience is not a URL (nna-registry-dev, as shipped), naming the API URL to pass', () => {
    const result = check('nna-registry-dev', {});
    expect(result.status).to.equal(1);
    expect(result.output).to.include(`_AUTH_AUDIENCE=${FUNCTION_URL}`);
  });

  it("stops a build whose audience differs from the sweep job's, naming the job's", () => {
    const result = check(FUNCTION_URL, { function: { url: FUNCTION_URL, uri: RUN_URL }, sweepAudience: RUN_URL });
    expect(result.status).to.equal(1);
    expect(result.output).to.match(/sweep.*names https:\/\/api-abc123-uc\.a\.run\.app/);
  });

  it('stops a build whose audience is a URL of something else', () => {
    const result = check('https://elsewhere.example/api', { function: { url: FUNCTION_URL, uri: RUN_URL } });
    expect(result.status).to.equal(1);
    expect(result.output).to.include(FUNCTION_URL);
  });

  it('lets the first deploy through with the URL the function will get, before any sweep job exists', () => {
    const result = check(FUNCTION_URL, {});
    expect(result.status, result.output).to.equal(0);
  });

  it('lets a deploy through when the audience is the URL the sweep names (either of the function URLs)', () => {
    expect(check(FUNCTION_URL, { function: { url: FUNCTION_URL, uri: RUN_URL }, sweepAudience: FUNCTION_URL }).status).to.equal(0);
    expect(check(RUN_URL, { function: { url: FUNCTION_URL, uri: RUN_URL }, sweepAudience: RUN_URL }).status).to.equal(0);
  });
});
