/**
 * Adapters that need no emulator held to their port contracts in the unit tier: the fs blob store
 * (Cloud Storage's stand-in on this machine) over a fresh temporary directory per test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsBlobStore } from '../../functions/adapters/blob-store/fs-blob-store.js';
import { describeBlobStoreContract } from './blob-store.contract.js';

const directories: string[] = [];
after(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeBlobStoreContract('fs', () => {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'blob-store-contract-'));
  directories.push(directory);
  return Promise.resolve(new FsBlobStore(directory, 'http://127.0.0.1:9/bucket'));
});
