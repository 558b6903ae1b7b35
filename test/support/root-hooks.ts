/**
 * Root hooks: both emulators start once for the whole run on free ports, Firestore is emptied
 * before every test, and both stop at the end, failures included (the process-group module also
 * kills them if the runner itself dies).
 */
import type { Context } from 'mocha';
import { clearFirestore, EmulatorMissingError, startEmulators, type EmulatorPair } from '../../scripts/lib/emulators.js';
import { stopSharedAuthEmulator } from './auth-emulator.js';
import { TEST_OUTPUT, TEST_PROJECT } from './test-environment.js';

let emulators: EmulatorPair | undefined;

export const mochaHooks = {
  async beforeAll(this: Context) {
    this.timeout(120_000);
    try {
      emulators = await startEmulators(`${TEST_OUTPUT}/emulators`);
    } catch (error) {
      if (error instanceof EmulatorMissingError) {
        console.error(`\n${error.message.split('\n')[0]}\n`);
      }
      throw error;
    }
    process.env['FIRESTORE_EMULATOR_HOST'] = emulators.firestore.host;
    process.env['PUBSUB_EMULATOR_HOST'] = emulators.pubsub.host;
    process.env['GOOGLE_CLOUD_PROJECT'] = TEST_PROJECT;
    // No metadata server on this machine: without this the Google clients in the test process
    // probe for one and print warnings.
    process.env['METADATA_SERVER_DETECTION'] = 'none';
  },
  async beforeEach(this: Context) {
    this.timeout(30_000);
    if (emulators) await clearFirestore(emulators.firestore.host, TEST_PROJECT);
  },
  async afterAll(this: Context) {
    this.timeout(30_000);
    await Promise.all([emulators?.stop(), stopSharedAuthEmulator()]);
  },
};
