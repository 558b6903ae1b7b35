/**
 * The API as it is deployed: its esbuild bundle, built into a directory of its own under
 * .stack-code/ and run by functions-framework from there instead of from dist/. For the suites that
 * must exercise the shipped code (its bundled Firestore client, or a stack that keeps serving while
 * dist/ is rebuilt).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { bundleFunction } from '../../scripts/build/function-bundles.js';
import { startedInBeforeHook, startTestFunction, type ApiProcess } from './api-server.js';
import { PROJECT_ROOT } from './test-environment.js';

/** Starts the bundled API in the suite's before hook and stops it, removing its bundle, in after. */
export function useBundledApi(label: string): ApiProcess {
  const code = path.join(PROJECT_ROOT, '.stack-code', `${label}-${process.pid}`);
  let api: ApiProcess | undefined;
  before(async function () {
    this.timeout(180_000);
    await bundleFunction('api', path.join(code, 'api'));
    api = await startTestFunction('api', 'http', {}, undefined, path.join(code, 'api'));
  });
  after(async () => {
    await api?.stop();
    rmSync(code, { recursive: true, force: true });
  });
  return startedInBeforeHook('useBundledApi', () => api);
}
