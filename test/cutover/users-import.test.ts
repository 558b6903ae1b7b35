/**
 * `npm run import -- users` against the Auth emulator and Firestore, then sign-in through the API:
 * imported users sign in with the old backend's passwords (bcrypt, cost 10, as bcryptjs made them),
 * with the roles their old role maps to; the emulator cannot verify the imported hash, so the first
 * sign-in checks the legacy hash, sets it as the Firebase password and forgets the hash. Reruns
 * change nothing that is already there.
 */
import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startApi, type ApiServer } from '../support/api-server.js';
import { accountCount, authEnvironment, emulatorAccount, setClaims, signInDirectly, useAuthEmulator } from '../support/auth-emulator.js';
import { clearAuthEmulator, updateEmulatorAccount, type AuthEmulator } from '../../scripts/lib/auth-emulator.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { runImport, type MigrateResult } from '../support/migrate-cli.js';
import { TEST_OUTPUT } from '../support/test-environment.js';
import { WRONG_CREDENTIALS } from '../../functions/adapters/auth/firebase-identity-provider.js';

/** A hash as the old backend made it: bcryptjs, 10 rounds, the `$2a$` prefix of bcryptjs 2. */
function legacyHash(password: string): string {
  return bcrypt.hashSync(password, bcrypt.genSaltSync(10).replace('$2b$', '$2a$'));
}

interface OldUser {
  id: string;
  email: string;
  password: string;
  role: 'admin' | 'user';
  username?: string;
}

const KYLE: OldUser = { id: '64a1f0c2e4b0a1b2c3d4e5f6', email: 'Kyle@Celerity.Studio', password: 'kyle-old-secret', role: 'admin' };
const JEFF: OldUser = { id: '64a1f0c2e4b0a1b2c3d4e5f7', email: 'jeffhaskin@celerity.studio', password: 'jeff-old-secret', role: 'user', username: 'jeff' };
const MARIA: OldUser = { id: '64a1f0c2e4b0a1b2c3d4e5f8', email: 'maria@example.com', password: 'maria-old-secret', role: 'user' };

const hashes = new Map<string, string>();
function hashOf(user: OldUser): string {
  if (!hashes.has(user.id)) hashes.set(user.id, legacyHash(user.password));
  return hashes.get(user.id)!;
}

/** A mongoexport line, in relaxed or canonical Extended JSON. */
function exportLine(user: OldUser, form: 'relaxed' | 'canonical' = 'relaxed'): string {
  const date = (iso: string) => (form === 'relaxed' ? { $date: iso } : { $date: { $numberLong: String(Date.parse(iso)) } });
  return JSON.stringify({
    _id: { $oid: user.id },
    email: user.email,
    password: hashOf(user),
    role: user.role,
    ...(user.username ? { username: user.username } : {}),
    createdAt: date(form === 'relaxed' ? '2025-06-01T10:00:00.000Z' : '2025-06-02T10:00:00.000Z'),
    updatedAt: date('2025-07-01T10:00:00.000Z'),
    __v: form === 'relaxed' ? 0 : { $numberInt: '0' },
  });
}

const directory = mkdtempSync(path.join(TEST_OUTPUT, 'users-export-'));
let files = 0;
function exportFile(text: string): string {
  const file = path.join(directory, `users-${++files}.json`);
  writeFileSync(file, text);
  return file;
}

const STANDARD_EXPORT = () => `${exportLine(KYLE)}\n${exportLine(JEFF)}\n${exportLine(MARIA, 'canonical')}\n`;

describe('npm run import -- users, and signing in with the old passwords', function () {
  this.timeout(120_000);
  let auth: AuthEmulator;
  let api: ApiServer;
  before(async function () {
    auth = await useAuthEmulator();
    api = await startApi(authEnvironment(auth));
  });
  after(() => api?.stop());
  beforeEach(() => clearAuthEmulator(auth));

  const importUsers = (file: string, ...flags: string[]): Promise<MigrateResult> =>
    runImport(['users', '--from', file, ...flags], { FIREBASE_AUTH_EMULATOR_HOST: auth.host, FIREBASE_PROJECT_ID: auth.projectId });
  const login = (email: string, password: string) => call(api.url, 'POST', '/api/auth/login', { json: { email, password } });
  const credential = async (email: string) => (await testFirestore().collection('legacy_credentials').doc(email.toLowerCase()).get()).data();

  it('imports after a dry run: uid = old _id, admin -> admin, user -> editor, the BCRYPT hash and the claims on the account', async () => {
    const file = exportFile(STANDARD_EXPORT());
    const dry = await importUsers(file);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.report).to.deep.include({ command: 'users', dryRun: true, counts: { read: 3, created: 3, updated: 0, unchanged: 0, failed: 0 } });
    expect(dry.events.filter((event) => event['event'] === 'user').map((event) => event['outcome'])).to.deep.equal([
      'would-create',
      'would-create',
      'would-create',
    ]);
    expect(await accountCount(auth)).to.equal(0);
    expect(await snapshotCollection('legacy_credentials')).to.deep.equal({});

    const run = await importUsers(file, '--yes');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.report).to.deep.include({ dryRun: false, counts: { read: 3, created: 3, updated: 0, unchanged: 0, failed: 0 }, anomalies: [] });
    expect(run.stdout, 'no hash in the output').to.not.include(hashOf(KYLE).slice(7));

    const expected: Array<[OldUser, string[]]> = [
      [KYLE, ['admin']],
      [JEFF, ['editor']],
      [MARIA, ['editor']],
    ];
    for (const [user, roles] of expected) {
      const account = (await emulatorAccount(auth, user.id))!;
      expect(account, user.email).to.not.equal(undefined);
      expect(account['email']).to.equal(user.email.toLowerCase());
      // The production path: Firebase holds the bcrypt hash itself and verifies it at sign-in.
      expect(Buffer.from(String(account['passwordHash']), 'base64').toString('utf8')).to.equal(hashOf(user));
      expect(JSON.parse(String(account['customAttributes']))).to.deep.equal({ roles });
      const kept = (await credential(user.email))!;
      expect(kept).to.include({ uid: user.id, email: user.email.toLowerCase(), state: 'waiting', hash: hashOf(user), source: path.basename(file) });
      expect(kept['accountVersion']).to.be.a('string');
    }
    expect((await emulatorAccount(auth, JEFF.id))!['displayName']).to.equal('jeff');
    expect((await emulatorAccount(auth, KYLE.id))!['createdAt']).to.equal(String(Date.parse('2025-06-01T10:00:00.000Z')));
    expect((await emulatorAccount(auth, MARIA.id))!['createdAt']).to.equal(String(Date.parse('2025-06-02T10:00:00.000Z')));
    const audit = Object.values(await snapshotCollection('role_audit')) as Array<Record<string, unknown>>;
    expect(audit.map((entry) => [entry['uid'], entry['to']])).to.have.deep.members([
      [KYLE.id, ['admin']],
      [JEFF.id, ['editor']],
      [MARIA.id, ['editor']],
    ]);
  });

  it('an imported user signs in with the old password through POST /api/auth/login; then the hash is gone and Firebase alone checks it', async () => {
    expect((await importUsers(exportFile(STANDARD_EXPORT()), '--yes')).code).to.equal(0);
    // The emulator cannot verify the bcrypt hash it was given: directly, the old password fails.
    expect((await signInDirectly(auth, KYLE.email, KYLE.password)).status).to.equal(400);

    const first = await login(KYLE.email.toUpperCase(), KYLE.password);
    expect(first.status, first.text).to.equal(200);
    const session = dataOf<{ token: string; user: { id: string; role: string; roles: string[] } }>(first);
    expect(session.user).to.deep.include({ id: KYLE.id, role: 'admin', roles: ['admin'] });
    const profile = await call(api.url, 'GET', '/api/auth/profile', { token: `Bearer ${session.token}` });
    expect(dataOf(profile)).to.deep.include({ email: KYLE.email.toLowerCase(), role: 'admin' });
    expect((await call(api.url, 'GET', '/api/admin/stats', { token: `Bearer ${session.token}` })).status).to.equal(200);

    const kept = (await credential(KYLE.email))!;
    expect(kept).to.include({ state: 'adopted', uid: KYLE.id });
    expect(kept).to.not.have.property('hash');
    expect((await signInDirectly(auth, KYLE.email, KYLE.password)).status, 'Firebase now holds the password').to.equal(200);
    expect((await login(KYLE.email, KYLE.password)).status).to.equal(200);

    const editor = dataOf<{ token: string; user: { role: string } }>(await login(JEFF.email, JEFF.password));
    expect(editor.user.role).to.equal('editor');
    const created = await call(api.url, 'POST', '/api/assets', {
      token: `Bearer ${editor.token}`,
      json: { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'By an imported editor' },
    });
    expect(created.status, created.text).to.equal(201);
    expect(dataOf<Record<string, unknown>>(created)['createdBy']).to.equal(JEFF.email);
  });

  it('a wrong password is a 401 with the message an unknown email gets, and keeps the legacy hash', async () => {
    expect((await importUsers(exportFile(STANDARD_EXPORT()), '--yes')).code).to.equal(0);
    const wrong = await login(MARIA.email, 'not-her-password');
    const unknown = await login('nobody@example.com', 'whatever-1');
    for (const reply of [wrong, unknown]) {
      expect(reply.status, reply.text).to.equal(401);
      expect(reply.body.error).to.deep.include({ code: 'UNAUTHENTICATED', message: WRONG_CREDENTIALS });
    }
    expect(wrong.text).to.equal(unknown.text);
    expect(await credential(MARIA.email)).to.include({ state: 'waiting', hash: hashOf(MARIA) });
    // After adoption, the old password's hash can no longer be used with a wrong password either.
    expect((await login(KYLE.email, KYLE.password)).status).to.equal(200);
    expect((await login(KYLE.email, 'kyle-wrong')).status).to.equal(401);
  });

  it('a rerun writes nothing: no password reset, no replaced hash brought back, roles left as they are (reported)', async () => {
    const file = exportFile(STANDARD_EXPORT());
    expect((await importUsers(file, '--yes')).code).to.equal(0);
    expect((await login(KYLE.email, KYLE.password)).status).to.equal(200);
    // Kyle then changes his password; an admin removes Jeff's roles.
    await updateEmulatorAccount(auth, { localId: KYLE.id, password: 'kyle-new-secret' });
    await setClaims(auth, JEFF.id, { roles: [] });
    const accountsBefore = await Promise.all([KYLE, JEFF, MARIA].map((user) => emulatorAccount(auth, user.id)));
    const credentialsBefore = await snapshotCollection('legacy_credentials');

    const rerun = await importUsers(file, '--yes');
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(rerun.report).to.deep.include({ counts: { read: 3, created: 0, updated: 0, unchanged: 3, failed: 0 } });
    const anomalies = rerun.report!['anomalies'] as Array<Record<string, unknown>>;
    expect(anomalies.map((anomaly) => [anomaly['kind'], anomaly['uid']])).to.deep.equal([['roles-differ', JEFF.id]]);
    expect(await Promise.all([KYLE, JEFF, MARIA].map((user) => emulatorAccount(auth, user.id)))).to.deep.equal(accountsBefore);
    expect(await snapshotCollection('legacy_credentials')).to.deep.equal(credentialsBefore);

    expect((await login(KYLE.email, KYLE.password)).status, 'the old password stays replaced').to.equal(401);
    expect((await login(KYLE.email, 'kyle-new-secret')).status).to.equal(200);
    expect((await login(MARIA.email, MARIA.password)).status, 'a user who had not signed in yet still can').to.equal(200);
  });

  it('a legacy hash whose account changed since the import (password reset) is stale: refused and forgotten', async () => {
    expect((await importUsers(exportFile(STANDARD_EXPORT()), '--yes')).code).to.equal(0);
    // Firebase counts credential changes in whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await updateEmulatorAccount(auth, { localId: MARIA.id, password: 'maria-reset-1' });
    const old = await login(MARIA.email, MARIA.password);
    expect(old.status, old.text).to.equal(401);
    expect(old.body.error!.message).to.equal(WRONG_CREDENTIALS);
    const kept = (await credential(MARIA.email))!;
    expect(kept['state']).to.equal('stale');
    expect(kept).to.not.have.property('hash');
    expect((await login(MARIA.email, 'maria-reset-1')).status).to.equal(200);
  });

  it('reports bad documents with their line and imports the rest (exit 1); an unreadable export writes nothing (exit 2)', async () => {
    const lines = [
      exportLine(KYLE),
      '{"_id": {"$oid": "64a1f0c2e4b0a1b2c3d4e5f9"}, "email": "broken@example.com", ',
      JSON.stringify({ _id: { $oid: '64a1f0c2e4b0a1b2c3d4e5fa' }, email: 'plain@example.com', password: 'hunter2', role: 'user' }),
      JSON.stringify({ _id: { $oid: '64a1f0c2e4b0a1b2c3d4e5fb' }, email: 'owner@example.com', password: hashOf(JEFF), role: 'owner' }),
      exportLine({ ...MARIA, id: '64a1f0c2e4b0a1b2c3d4e5fc', email: KYLE.email }),
      exportLine(JEFF),
    ];
    const run = await importUsers(exportFile(`${lines.join('\n')}\n`), '--yes');
    expect(run.code, run.stderr).to.equal(1);
    expect(run.report).to.deep.include({ counts: { read: 6, created: 2, updated: 0, unchanged: 0, failed: 4 } });
    const failed = run.events.filter((event) => event['outcome'] === 'failed').map((event) => [event['position'], event['reason']]);
    expect(failed.map(([position]) => position)).to.deep.equal(['line 2', 'line 3', 'line 4', 'line 5']);
    expect(String(failed[0]![1])).to.match(/is not JSON/);
    expect(String(failed[1]![1])).to.match(/^password is not a bcrypt hash/);
    expect(String(failed[2]![1])).to.match(/^role /);
    expect(String(failed[3]![1])).to.equal('the export holds this user (uid or email) already, at line 1');
    expect(run.stdout).to.not.include('hunter2');
    expect(await accountCount(auth)).to.equal(2);

    for (const [text, message] of [
      ['[{"_id": {"$oid": "64a1f0c2e4b0a1b2c3d4e5f6"}, ', /is not a JSON array/],
      [null, /cannot read/],
    ] as Array<[string | null, RegExp]>) {
      const unreadable = await importUsers(text === null ? path.join(directory, 'missing.json') : exportFile(text), '--yes');
      expect(unreadable.code, unreadable.stderr).to.equal(2);
      expect(unreadable.stderr).to.match(message);
    }
    expect((await runImport(['users'], {})).code, 'no --from').to.equal(2);
    expect(await accountCount(auth)).to.equal(2);
  });

  it('refuses, by line, hashes the old backend cannot have made: $2x$, and any cost but its 10 (99, 31, 04)', async () => {
    const cost10 = hashOf(JEFF);
    const variants = [cost10.replace(/^\$2a\$/, '$2x$'), cost10.replace(/^\$2a\$10\$/, '$2a$99$'), cost10.replace(/^\$2a\$10\$/, '$2b$31$')];
    variants.push(bcrypt.hashSync('cheap', 4));
    const lines = variants.map((password, index) =>
      JSON.stringify({ _id: { $oid: `64a1f0c2e4b0a1b2c3d4e6${index}0` }, email: `odd-hash-${index}@example.com`, password, role: 'user' }),
    );
    const run = await importUsers(exportFile(`${[...lines, exportLine(KYLE)].join('\n')}\n`), '--yes');
    expect(run.code, run.stderr).to.equal(1);
    expect(run.report).to.deep.include({ counts: { read: 5, created: 1, updated: 0, unchanged: 0, failed: 4 } });
    const failed = run.events.filter((event) => event['outcome'] === 'failed').map((event) => `${String(event['position'])}: ${String(event['reason'])}`);
    expect(failed).to.have.length(4);
    expect(failed[0]).to.match(/^line 1: password is a \$2x\$ bcrypt hash/);
    expect(failed[1]).to.match(/^line 2: password has bcrypt cost 99/);
    expect(failed[2]).to.match(/^line 3: password has bcrypt cost 31/);
    expect(failed[3]).to.match(/^line 4: password has bcrypt cost 4/);
    expect(await accountCount(auth)).to.equal(1);
  });

  it('answers a stored hash that cannot be checked ($2x$, cost 99) with the 401 of a wrong password, never a 500', async () => {
    // Credentials kept before the import refused such hashes.
    const cost10 = hashOf(KYLE);
    for (const [email, hash] of [
      ['x-variant@example.com', cost10.replace(/^\$2a\$/, '$2x$')],
      ['cost-99@example.com', cost10.replace(/^\$2a\$10\$/, '$2a$99$')],
    ]) {
      await testFirestore()
        .collection('legacy_credentials')
        .doc(email!)
        .set({ uid: `uid-${email}`, email, state: 'waiting', hash, accountVersion: null, source: 'old.json', importedAt: '2026-01-01T00:00:00.000Z' });
      const refused = await login(email!, KYLE.password);
      expect(refused.status, refused.text).to.equal(401);
      expect(refused.body.error!.message).to.equal(WRONG_CREDENTIALS);
      expect((await login(`unknown-${email}`, KYLE.password)).body).to.deep.equal(refused.body);
    }
  });

  it('reads a --jsonArray export; refuses an email another account holds here; re-imports accounts gone only when told', async () => {
    const registered = await call(api.url, 'POST', '/api/auth/register', { json: { username: 'jeff2', email: JEFF.email, password: 'registered-1' } });
    expect(registered.status, registered.text).to.equal(201);
    const file = exportFile(`[${exportLine(KYLE)},\n${exportLine(JEFF, 'canonical')},\n${exportLine(MARIA)}]`);
    const run = await importUsers(file, '--yes');
    expect(run.code).to.equal(1);
    expect(run.report).to.deep.include({ counts: { read: 3, created: 2, updated: 0, unchanged: 0, failed: 1 } });
    const refused = run.events.find((event) => event['outcome'] === 'failed')!;
    expect(refused).to.include({ position: 'element 2', uid: JEFF.id });
    expect(String(refused['reason'])).to.match(/^the email belongs to another account here \(uid /);

    // A restarted local stack: its Auth emulator starts empty, the credentials stay in Firestore.
    expect((await login(KYLE.email, KYLE.password)).status).to.equal(200);
    await clearAuthEmulator(auth);
    const again = await importUsers(file, '--yes');
    expect(again.report).to.deep.include({ counts: { read: 3, created: 2, updated: 0, unchanged: 1, failed: 0 } });
    expect((again.report!['anomalies'] as Array<Record<string, unknown>>).map((anomaly) => [anomaly['kind'], anomaly['uid']])).to.deep.equal([
      ['account-gone', KYLE.id],
    ]);
    expect(await emulatorAccount(auth, KYLE.id)).to.equal(undefined);
    const told = await importUsers(file, '--yes', '--recreate-gone');
    expect(told.report).to.deep.include({ counts: { read: 3, created: 1, updated: 0, unchanged: 2, failed: 0 } });
    expect((await login(KYLE.email, KYLE.password)).status).to.equal(200);
  });
});
