/**
 * The Firestore client over its REST transport (`preferRest`) against the emulator, for the
 * benchmarks that weigh REST against the default gRPC. Over REST the client asks for Google
 * credentials even with the emulator (googleapis/google-cloud-node#7470); the emulator takes the
 * access token `owner`. Two forms of the same client: one built in this process, and the source
 * text that builds it inside a bare function package (the cold-start bench's).
 */
import { Firestore } from '@google-cloud/firestore';
import { OAuth2Client } from 'google-auth-library';

const EMULATOR_TOKEN = 'owner';
const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export function restEmulatorFirestore(projectId: string): Firestore {
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: EMULATOR_TOKEN, expiry_date: Date.now() + TOKEN_LIFETIME_MS });
  return new Firestore({ projectId, preferRest: true, authClient });
}

/** CommonJS source declaring `db`: the same client, with the Firestore and auth libraries loaded from the given paths. */
export function restEmulatorFirestoreSource(projectId: string, firestoreModule: string, authModule: string): string {
  return (
    `const { Firestore } = require(${JSON.stringify(firestoreModule)});\n` +
    `const { OAuth2Client } = require(${JSON.stringify(authModule)});\n` +
    `const authClient = new OAuth2Client();\n` +
    `authClient.setCredentials({ access_token: ${JSON.stringify(EMULATOR_TOKEN)}, expiry_date: Date.now() + ${TOKEN_LIFETIME_MS} });\n` +
    `const db = new Firestore({ projectId: ${JSON.stringify(projectId)}, preferRest: true, authClient });\n`
  );
}
