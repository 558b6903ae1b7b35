/**
 * The local stack's Firestore saves, against the real emulator: a save happens only when the data
 * changed, and neither an export that dies half-way nor one that fails ever costs the last complete
 * save, which a fresh emulator loads with every document.
 */
import { expect } from 'chai';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFirestoreEmulator } from '../../scripts/lib/emulators.js';
import { freePort } from '../../scripts/lib/free-port.js';
import { savedFirestoreExport, saveFirestore } from '../../scripts/lib/firestore-persistence.js';
import { testFirestore } from '../support/firestore-direct.js';
import { TEST_OUTPUT, TEST_PROJECT } from '../support/test-environment.js';

describe('local stack: saving Firestore', function () {
  this.timeout(120_000);
  const host = (): string => process.env['FIRESTORE_EMULATOR_HOST']!;

  it('saves only changes, and keeps the last complete save through an interrupted and a failed export', async () => {
    const directory = path.join(mkdtempSync(path.join(TEST_OUTPUT, 'firestore-saves-')), 'firestore');
    await testFirestore().collection('assets').doc('first').set({ description: 'saved first' });
    expect(await saveFirestore(host(), TEST_PROJECT, directory)).to.equal(true);
    const first = savedFirestoreExport(directory)!;
    expect(first).to.be.a('string');
    const firstFiles = readFileSync(first);

    expect(await saveFirestore(host(), TEST_PROJECT, directory), 'nothing changed').to.equal(false);
    expect(savedFirestoreExport(directory)).to.equal(first);

    await testFirestore().collection('assets').doc('second').set({ description: 'saved second' });
    // What an export killed half-way leaves: a partial directory with some data and no metadata.
    const interrupted = path.join(directory, '.partial-crashed', 'firestore_export_1', 'all_namespaces', 'all_kinds');
    mkdirSync(interrupted, { recursive: true });
    writeFileSync(path.join(interrupted, 'output-0'), 'half an export');
    expect(savedFirestoreExport(directory)).to.equal(first);
    // An emulator that no longer answers.
    const gone = `127.0.0.1:${await freePort()}`;
    const failure = await saveFirestore(gone, TEST_PROJECT, directory).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).to.be.an('error');
    expect(savedFirestoreExport(directory)).to.equal(first);
    expect(readFileSync(first).equals(firstFiles)).to.equal(true);

    expect(await saveFirestore(host(), TEST_PROJECT, directory)).to.equal(true);
    const second = savedFirestoreExport(directory)!;
    expect(second).not.to.equal(first);
    // Older and interrupted exports are gone once a newer one is current.
    expect(readdirSync(directory).sort()).to.deep.equal(['CURRENT', path.relative(directory, second).split(path.sep)[0]!]);

    // A second emulator of its own, read over REST: this process's Firestore client is bound to the first.
    const emulator = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'emulators'), undefined, 90_000, { firestoreImport: second });
    try {
      const reply = await fetch(`http://${emulator.host}/v1/projects/${TEST_PROJECT}/databases/(default)/documents/assets`);
      const { documents } = (await reply.json()) as { documents: Array<{ name: string; fields: { description: { stringValue: string } } }> };
      expect(Object.fromEntries(documents.map((document) => [document.name.split('/').at(-1), document.fields.description.stringValue]))).to.deep.equal({
        first: 'saved first',
        second: 'saved second',
      });
    } finally {
      await emulator.stop();
    }
  });

  it('loads a save made by an earlier version (one export straight in the directory) and replaces it on the next save', async () => {
    const directory = path.join(mkdtempSync(path.join(TEST_OUTPUT, 'firestore-saves-')), 'firestore');
    await testFirestore().collection('assets').doc('old').set({ description: 'from before' });
    expect(await saveFirestore(host(), TEST_PROJECT, directory)).to.equal(true);
    // The earlier layout: <directory>/<export>/<export>.overall_export_metadata, no CURRENT.
    const legacy = path.join(path.dirname(directory), 'legacy');
    cpSync(path.dirname(path.dirname(savedFirestoreExport(directory)!)), legacy, { recursive: true });
    expect(savedFirestoreExport(legacy)).to.match(/firestore_export_\d+\.overall_export_metadata$/);
    expect(await saveFirestore(host(), TEST_PROJECT, legacy)).to.equal(true);
    expect(existsSync(path.join(legacy, 'CURRENT'))).to.equal(true);
    expect(readdirSync(legacy)).to.have.length(2);
  });
});
