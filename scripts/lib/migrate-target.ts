/**
 * Which emulators `npm run migrate` and `npm run import` talk to when the operator names none: the
 * running local stack's (found through the state file `npm start` writes), else a clear error naming
 * what to set. Commands that manage users need its Auth emulator too.
 */
import { ConfigError } from '../../functions/platform/config.js';
import { readStackState, STACK_STATE_FILE } from './stack-state.js';

export interface StackNeeds {
  /** The Firebase Auth emulator as well as Firestore (`npm run import -- users`). */
  auth?: boolean;
}

export function useLocalStackIfRunning(env: NodeJS.ProcessEnv, stateFile = env['LOCAL_STACK_STATE_FILE'] ?? STACK_STATE_FILE, needs: StackNeeds = {}): void {
  const deployEnv = env['DEPLOY_ENV'] ?? 'local';
  if (!['local', 'test'].includes(deployEnv)) return;
  // An emulator needs no credentials: without this the Google clients probe for a metadata server and warn.
  env['METADATA_SERVER_DETECTION'] ??= 'none';
  const wantsFirestore = !env['FIRESTORE_EMULATOR_HOST'];
  const wantsAuth = needs.auth === true && !env['FIREBASE_AUTH_EMULATOR_HOST'];
  if (!wantsFirestore && !wantsAuth) return;
  const stack = readStackState(stateFile);
  if (!stack) {
    const variables = wantsAuth ? 'FIRESTORE_EMULATOR_HOST=<host:port> and FIREBASE_AUTH_EMULATOR_HOST=<host:port>' : 'FIRESTORE_EMULATOR_HOST=<host:port>';
    throw new ConfigError(
      `No local stack is running: start one with \`npm start\` (this command then finds it), or set ${variables} for other emulators, ` +
        'or DEPLOY_ENV=production GOOGLE_CLOUD_PROJECT=<project> for Google Cloud',
    );
  }
  if (wantsFirestore) {
    env['FIRESTORE_EMULATOR_HOST'] = stack.firestoreHost;
    if (!env['GOOGLE_CLOUD_PROJECT']) env['GOOGLE_CLOUD_PROJECT'] = stack.projectId;
    process.stderr.write(`using the local stack's Firestore emulator at ${stack.firestoreHost} (project ${env['GOOGLE_CLOUD_PROJECT']})\n`);
  }
  if (wantsAuth) {
    if (!stack.authHost) throw new ConfigError('The running local stack does not say where its Auth emulator is (it predates that): restart `npm start`');
    env['FIREBASE_AUTH_EMULATOR_HOST'] = stack.authHost;
    if (!env['FIREBASE_PROJECT_ID'] && stack.firebaseProjectId) env['FIREBASE_PROJECT_ID'] = stack.firebaseProjectId;
    process.stderr.write(`using the local stack's Auth emulator at ${stack.authHost} (Firebase project ${env['FIREBASE_PROJECT_ID'] ?? '(the project)'})\n`);
  }
}
