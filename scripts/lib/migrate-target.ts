/**
 * Which Firestore `npm run migrate` talks to when the operator names none: the running local stack
 * (found through the state file `npm start` writes), else a clear error naming what to set.
 */
import { ConfigError } from '../../functions/platform/config.js';
import { readStackState, STACK_STATE_FILE } from './stack-state.js';

export function useLocalStackIfRunning(env: NodeJS.ProcessEnv, stateFile = env['LOCAL_STACK_STATE_FILE'] ?? STACK_STATE_FILE): void {
  const deployEnv = env['DEPLOY_ENV'] ?? 'local';
  if (!['local', 'test'].includes(deployEnv)) return;
  // An emulator needs no credentials: without this the Google clients probe for a metadata server and warn.
  env['METADATA_SERVER_DETECTION'] ??= 'none';
  if (env['FIRESTORE_EMULATOR_HOST']) return;
  const stack = readStackState(stateFile);
  if (!stack) {
    throw new ConfigError(
      'No local stack is running: start one with `npm start` (migrate then finds it), or set FIRESTORE_EMULATOR_HOST=<host:port> ' +
        'for another emulator, or DEPLOY_ENV=production GOOGLE_CLOUD_PROJECT=<project> for Cloud Firestore',
    );
  }
  env['FIRESTORE_EMULATOR_HOST'] = stack.firestoreHost;
  if (!env['GOOGLE_CLOUD_PROJECT']) env['GOOGLE_CLOUD_PROJECT'] = stack.projectId;
  process.stderr.write(`using the local stack's Firestore emulator at ${stack.firestoreHost} (project ${env['GOOGLE_CLOUD_PROJECT']})\n`);
}
