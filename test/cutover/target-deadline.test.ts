/**
 * Fault: the target Firestore stops answering during `apply`. The run must end by itself (every
 * read and commit has a deadline) with its report line and exit 1, and the next run resumes.
 * The freeze is placed by construction: the old backend holds page 2 until the emulator is frozen.
 */
import { expect } from 'chai';
import path from 'node:path';
import { startFirestoreEmulator, type Emulator } from '../../scripts/lib/emulators.js';
import { startFakeLegacyBackend, type FakeLegacyBackend } from '../support/fake-legacy-backend.js';
import { runImport, startImport } from '../support/migrate-cli.js';
import { stagingAssets } from '../support/staging-export.js';
import { TEST_OUTPUT } from '../support/test-environment.js';

describe('fault: the target Firestore stops answering during an import', function () {
  this.timeout(300_000);
  let firestore: Emulator | undefined;
  let backend: FakeLegacyBackend | undefined;
  let frozen = false;

  /** SIGSTOP/SIGCONT to the emulator's own process group (it was started here): its data stays. */
  const signal = (name: 'SIGSTOP' | 'SIGCONT'): void => {
    process.kill(-firestore!.child.pid!, name);
    frozen = name === 'SIGSTOP';
  };

  before(async () => {
    firestore = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'import-deadline'));
    backend = await startFakeLegacyBackend({ documents: stagingAssets(), maxLimit: 10 });
  });
  after(async () => {
    if (frozen) signal('SIGCONT');
    await backend?.stop();
    await firestore?.stop();
  });

  it('ends with a clear error, its report and exit 1 within the deadline, and a rerun resumes when Firestore answers again', async () => {
    const env = { FIRESTORE_EMULATOR_HOST: firestore!.host, FIRESTORE_DEADLINE_MS: '4000' };
    // A fresh emulator's first answers can outlast the short deadline: warm it until a run of `status` gets through.
    for (let attempt = 1; (await runImport(['status'], env)).code !== 0; attempt++) expect(attempt, 'the emulator answers').to.be.below(20);
    const args = ['apply', '--from', backend!.url, '--token', backend!.token, '--page-size', '10', '--batch-size', '1', '--yes'];
    const asked = backend!.holdPage(2);
    const run = startImport(args, env);

    // One asset a commit and four read ahead: the first page's first five are committed before page 2 is asked for.
    const early = await Promise.race([asked.then(() => undefined), run.done]);
    expect(early, `the run ended before asking for page 2: ${early?.stderr ?? ''}`).to.equal(undefined);
    signal('SIGSTOP');
    backend!.release();
    const stopped = await run.done;
    expect(stopped.signal, stopped.stderr).to.equal(null);
    expect(stopped.code, stopped.stderr).to.equal(1);
    expect(stopped.report).to.deep.include({ status: 'failed' });
    expect(stopped.report?.['error']).to.match(/did not (answer|confirm this write) within 4000 ms/);
    expect(stopped.stderr).to.match(/stopped: .*run the same command again to resume/);

    signal('SIGCONT');
    const resumed = await runImport(args, env);
    expect(resumed.code, resumed.stderr).to.equal(0);
    const counts = resumed.report?.['counts'] as Record<string, number>;
    expect(counts['read']).to.equal(60);
    expect(counts['unchanged']).to.be.at.least(5);
    expect(counts['created']! + counts['unchanged']!).to.equal(60);
    expect(JSON.parse((await runImport(['status'], env)).stdout)).to.deep.include({ status: 'completed' });
  });
});
