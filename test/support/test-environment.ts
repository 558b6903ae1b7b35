import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_PROJECT = 'nna-test';
/** dist/test/support -> project root */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEST_OUTPUT = path.join(PROJECT_ROOT, 'test-output');

export const TOKENS = {
  editor: 'Bearer dev:editor@example.com:editor',
  admin: 'Bearer dev:admin@example.com:admin',
  reader: 'Bearer dev:reader@example.com:',
};
