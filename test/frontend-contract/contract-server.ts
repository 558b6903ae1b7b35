/**
 * The contract suites' server: the API under the real functions-framework, on the test Firestore
 * and Pub/Sub emulators and the Firebase Auth emulator, as the web frontend's dev server sees it.
 */
import { startApi, type ApiServer } from '../support/api-server.js';
import { authEnvironment, useAuthEmulator } from '../support/auth-emulator.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';
import type { AuthEmulator } from '../../scripts/lib/auth-emulator.js';

export const FRONTEND_ORIGIN = 'http://localhost:3000';

interface ContractServer {
  api: ApiServer;
  auth: AuthEmulator;
}

async function startContractServer(): Promise<ContractServer> {
  const auth = await useAuthEmulator();
  const api = await startApi(authEnvironment(auth));
  return { api, auth };
}

/** Starts the server before the suite and stops it after; tests read `url` and `auth` from the result. */
export function useContractServer(): { readonly url: string; readonly auth: AuthEmulator } {
  let server: ContractServer | undefined;
  before(async function () {
    this.timeout(120_000);
    server = await startContractServer();
  });
  after(() => server?.api.stop());
  return {
    get url() {
      return server!.api.url;
    },
    get auth() {
      return server!.auth;
    },
  };
}

export interface Asset extends Record<string, unknown> {
  id: string;
  _id: string;
  name: string;
  nna_address: string;
}

/** Creates an asset through the API with a dev token (the setup of a row, not the row itself). */
export async function createAsset(baseUrl: string, fields: Record<string, unknown>): Promise<Asset> {
  const body = { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'A pop star', tags: ['pop'], ...fields };
  return dataOf<Asset>(await call(baseUrl, 'POST', '/api/assets', { token: TOKENS.editor, json: body }));
}

/** Signs a new user up through the API; returns its token and user. */
export async function registerUser(
  baseUrl: string,
  email: string,
  password = 'correct-horse-1',
): Promise<{ token: string; user: { id: string; email: string; username: string; role: string } }> {
  return dataOf(await call(baseUrl, 'POST', '/api/auth/register', { json: { username: email.split('@')[0], email, password } }));
}
