import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_PROJECT = 'nna-test';
/** dist/test/support -> project root */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEST_OUTPUT = path.join(PROJECT_ROOT, 'test-output');
// Made when the tests load, before any suite's body runs: a fresh clone has no test-output yet and
// suites may create files there while mocha collects them.
mkdirSync(TEST_OUTPUT, { recursive: true });

export const TOKENS = {
  editor: 'Bearer dev:editor@example.com:editor',
  admin: 'Bearer dev:admin@example.com:admin',
  reader: 'Bearer dev:reader@example.com:',
};
