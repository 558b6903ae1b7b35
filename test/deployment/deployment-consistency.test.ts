import { expect } from 'chai';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { checkDeploymentConsistency, terraformFormatProblems } from '../../scripts/lib/deployment-consistency.js';
import { FUNCTION_ENTRY_POINTS } from '../../functions/platform/resource-names.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

/** The entry points functions/index.ts registers with functions-framework. */
async function registeredFunctions(): Promise<string[]> {
  process.env['DEPLOY_ENV'] = 'test';
  await import('../../functions/index.js');
  return Object.values(FUNCTION_ENTRY_POINTS).filter((name) => getFunction(name) !== undefined);
}

function copyOfProject(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'nna-deploy-'));
  for (const entry of ['cloudbuild.yaml', 'infra', 'scripts']) cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  return copy;
}

function edit(root: string, file: string, from: string | RegExp, to: string): void {
  const target = path.join(root, file);
  const before = readFileSync(target, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`the mutation of ${file} changed nothing`);
  writeFileSync(target, after);
}

describe('deployment files', function () {
  this.timeout(60_000);
  let registered: string[];
  before(async () => {
    registered = await registeredFunctions();
  });

  it('are formatted (terraform fmt -check)', () => {
    expect(terraformFormatProblems(PROJECT_ROOT)).to.deep.equal([]);
  });

  it('agree with the names in code', async () => {
    expect(await checkDeploymentConsistency({ root: PROJECT_ROOT, registeredFunctions: registered })).to.deep.equal([]);
  });

  const drifts: Array<[string, string, string | RegExp, string, RegExp]> = [
    [
      'a renamed topic in infra',
      'infra/variables.tf',
      'default     = "album-art-jobs"',
      'default     = "album-art-tasks"',
      /album_art_topic_name defaults to album-art-tasks/,
    ],
    [
      'a deploy of the project instead of its bundle',
      'cloudbuild.yaml',
      '--source=bundles/api',
      '--source=.',
      /deploy api: --source is \., not its bundle bundles\/api/,
    ],
    ['no bundle step', 'cloudbuild.yaml', 'args: [run, bundle]', 'args: [run, build]', /no step that runs npm run bundle/],
    ['a renamed topic substitution', 'cloudbuild.yaml', '_ALBUM_ART_TOPIC: album-art-jobs', '_ALBUM_ART_TOPIC: art-jobs', /_ALBUM_ART_TOPIC default art-jobs/],
    [
      'an environment variable the code does not read',
      'cloudbuild.yaml',
      'ASSETS_BUCKET=${_ASSETS_BUCKET}',
      'ASSET_BUCKET=${_ASSETS_BUCKET}',
      /ASSET_BUCKET is not a configuration variable/,
    ],
    ['an entry point that does not exist', 'cloudbuild.yaml', '--entry-point=generateVariants', '--entry-point=makeVariants', /entry point makeVariants/],
    [
      'a wrong runtime',
      'cloudbuild.yaml',
      /--runtime=nodejs22(\s+- --region=\$\{_REGION\}\s+- --source=bundles\/api\s+- --entry-point=api)/,
      '--runtime=nodejs20$1',
      /deploy api: runtime is not nodejs22/,
    ],
    [
      'a bucket that differs from the dev environment',
      'cloudbuild.yaml',
      '_ALBUM_ART_BUCKET: nna-registry-dev-album-art',
      '_ALBUM_ART_BUCKET: other-bucket',
      /_ALBUM_ART_BUCKET default other-bucket differs/,
    ],
    [
      'an alert on a metric the code does not record',
      'infra/monitoring-alerts.tf',
      '${local.user_metric}/album_art_jobs',
      '${local.user_metric}/album_art_outcomes',
      /metric album_art_outcomes that the code never records/,
    ],
    [
      'a broken Terraform file',
      'infra/pubsub.tf',
      'resource "google_pubsub_topic" "album_art_jobs" {',
      'resource "google_pubsub_topic" "album_art_jobs" {{',
      /infra\/pubsub.tf does not parse/,
    ],
    [
      'album-art attempts that differ from the dead-letter policy',
      'cloudbuild.yaml',
      ',ALBUM_ART_MAX_ATTEMPTS=${_MAX_DELIVERY_ATTEMPTS}',
      '',
      /ALBUM_ART_MAX_ATTEMPTS/,
    ],
    [
      'a secret that infra does not create',
      'infra/sign-in.tf',
      'secret_id = "firebase-web-api-key"',
      'secret_id = "firebase-key"',
      /reads secret firebase-web-api-key, which infra does not create/,
    ],
    [
      'a secret in a variable the code does not read',
      'cloudbuild.yaml',
      '--set-secrets=FIREBASE_API_KEY=',
      '--set-secrets=FIREBASE_KEY=',
      /FIREBASE_KEY is not a configuration variable/,
    ],
    [
      'an auth audience that is not the API URL the sweep names (the default shipped before)',
      'cloudbuild.yaml',
      /_AUTH_AUDIENCE: \S+/,
      '_AUTH_AUDIENCE: nna-registry-dev',
      /_AUTH_AUDIENCE default nna-registry-dev is not the API's URL https:\/\/us-central1-nna-registry-dev\.cloudfunctions\.net\/api/,
    ],
    [
      'an API deploy that does not set AUTH_AUDIENCE from _AUTH_AUDIENCE',
      'cloudbuild.yaml',
      ',AUTH_AUDIENCE=${_AUTH_AUDIENCE}',
      '',
      /deploy api: AUTH_AUDIENCE is not set to \$\{_AUTH_AUDIENCE\}/,
    ],
    [
      'an API deploy that does not wait for the audience check',
      'cloudbuild.yaml',
      /(deploy-api[\s\S]*?)waitFor: \[check-auth-audience, pin-traffic\]/,
      '$1waitFor: [pin-traffic]',
      /deploy-api does not wait for the step that checks _AUTH_AUDIENCE/,
    ],
    [
      'a sweep whose token names another audience than the API URL',
      'infra/scheduler.tf',
      'audience              = var.api_url',
      'audience              = "nna-registry"',
      /the daily sweep's OIDC audience is nna-registry, not \$\{var.api_url\}/,
    ],
    [
      'an audience check looking for another sweep job than infra creates',
      'cloudbuild.yaml',
      'SWEEP_JOB=nna-purge-deleted-assets',
      'SWEEP_JOB=nna-sweep',
      /checks the sweep job nna-sweep, but infra\/scheduler.tf names it nna-purge-deleted-assets/,
    ],
    [
      'a deploy step whose script is missing',
      'cloudbuild.yaml',
      'args: [scripts/deploy-functions.sh, smoke, api]',
      'args: [scripts/deploy.sh, smoke, api]',
      /entry point scripts\/deploy.sh does not exist/,
    ],
  ];
  for (const [label, file, from, to, expected] of drifts) {
    it(`report ${label}`, async () => {
      const copy = copyOfProject();
      edit(copy, file, from, to);
      const problems = await checkDeploymentConsistency({ root: copy, registeredFunctions: registered });
      expect(problems.join('\n')).to.match(expected);
    });
  }

  it('report an unformatted Terraform file', () => {
    const copy = copyOfProject();
    edit(copy, 'infra/pubsub.tf', 'name   = var.album_art_topic_name', 'name = var.album_art_topic_name');
    expect(terraformFormatProblems(copy)).to.have.length(1);
  });
});
