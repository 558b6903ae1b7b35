/**
 * Sign-in throttling through POST /api/auth/login against the Auth emulator, with a fake clock:
 * per account and per client address (the last X-Forwarded-For entry), counted in Firestore so two
 * instances share it, 429 with Retry-After, other accounts unaffected, the window's end lifting it,
 * an imported user's wrong old password counted like any other.
 */
import { expect } from 'chai';
import bcrypt from 'bcryptjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startApi, type ApiServer } from '../support/api-server.js';
import { authEnvironment, useAuthEmulator } from '../support/auth-emulator.js';
import type { AuthEmulator } from '../../scripts/lib/auth-emulator.js';
import { call, dataOf, type ApiReply, type Envelope } from '../support/http-client.js';
import { runImport } from '../support/migrate-cli.js';
import { TEST_OUTPUT } from '../support/test-environment.js';

const WINDOW_MS = 15 * 60_000;

describe('sign-in throttling', function () {
  this.timeout(180_000);
  let now = Date.parse('2030-01-01T10:00:00Z');
  const clock = () => new Date(now);
  let auth: AuthEmulator;
  let first: ApiServer;
  let second: ApiServer;
  before(async function () {
    this.timeout(120_000);
    auth = await useAuthEmulator();
    // Two instances in this process, with nothing in common but Firestore (and the clock).
    [first, second] = await Promise.all([startApi(authEnvironment(auth), { clock }), startApi(authEnvironment(auth), { clock })]);
  });
  after(async () => Promise.all([first?.stop(), second?.stop()]));

  let accounts = 0;
  async function account(password = 'right-password-1'): Promise<string> {
    const email = `throttled-${++accounts}-${Date.now()}@example.com`;
    dataOf(await call(first.url, 'POST', '/api/auth/register', { json: { email, password } }));
    return email;
  }
  const login = (email: string, password: string, from = '203.0.113.7', api: ApiServer = first): Promise<ApiReply<Envelope>> =>
    call(api.url, 'POST', '/api/auth/login', { json: { email, password }, headers: { 'X-Forwarded-For': from } });

  function expectThrottled(reply: ApiReply<Envelope>, label: string): void {
    expect(reply.status, `${label}: ${reply.text}`).to.equal(429);
    expect(reply.body.error!.code).to.equal('RATE_LIMITED');
    const seconds = Number(reply.headers.get('retry-after'));
    expect(seconds, 'Retry-After').to.be.within(1, WINDOW_MS / 1000);
  }

  it('lets at most 5 of 50 wrong passwords sent at once be tried, and 5 in all; then refuses the right one too; other accounts sign in', async () => {
    const email = await account();
    const other = await account('other-password-1');
    const replies = await Promise.all(Array.from({ length: 50 }, () => login(email, 'wrong-password')));
    const statuses = replies.map((reply) => reply.status);
    const tried = statuses.filter((status) => status === 401).length;
    expect(tried, statuses.join(',')).to.be.within(1, 5);
    expect(
      statuses.filter((status) => status !== 401 && status !== 429),
      statuses.join(','),
    ).to.deep.equal([]);
    for (const reply of replies.filter((candidate) => candidate.status === 429)) expectThrottled(reply, 'the burst');
    // Attempts refused in the burst counted nothing: what is left of the five can still be tried, no more.
    for (let attempt = tried; attempt < 5; attempt++) expect((await login(email, `wrong-${attempt}`)).status, `failure ${attempt + 1}`).to.equal(401);
    expectThrottled(await login(email, 'wrong-again'), 'a sixth failure');
    expectThrottled(await login(email, 'right-password-1'), 'the right password, while throttled');
    expect((await login(other, 'other-password-1')).status, 'another account from the same address').to.equal(200);
    expect((await login(other, 'other-password-1', '198.51.100.4')).status, 'another account from elsewhere').to.equal(200);
  });

  it('counts across instances, and lifts at the end of the window; a success starts the account over', async () => {
    const email = await account();
    for (let attempt = 0; attempt < 5; attempt++) expect((await login(email, `wrong-${attempt}`, '203.0.113.8', first)).status).to.equal(401);
    expectThrottled(await login(email, 'right-password-1', '203.0.113.8', second), 'through the other instance');
    now += WINDOW_MS;
    expect((await login(email, 'right-password-1', '203.0.113.8', second)).status, 'a window later').to.equal(200);
    for (let attempt = 0; attempt < 4; attempt++) expect((await login(email, `wrong-again-${attempt}`, '203.0.113.8')).status).to.equal(401);
    expect((await login(email, 'right-password-1', '203.0.113.8')).status).to.equal(200);
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await login(email, `wrong-after-${attempt}`, '203.0.113.8')).status, 'counted from zero').to.equal(401);
    expectThrottled(await login(email, 'right-password-1', '203.0.113.8'), 'five failures after the success');
  });

  it('throttles an address trying many accounts, trusting only the last X-Forwarded-For entry', async () => {
    const victims = await Promise.all(Array.from({ length: 5 }, () => account()));
    let spoofed = 0;
    const from = () => `10.0.0.${++spoofed}, 192.0.2.${spoofed % 250}, 203.0.113.50`;
    for (const victim of victims) for (let attempt = 0; attempt < 4; attempt++) expect((await login(victim, `guess-${attempt}`, from())).status).to.equal(401);
    const fresh = await account();
    expectThrottled(await login(fresh, 'right-password-1', from()), 'the 21st attempt from the address');
    expect((await login(fresh, 'right-password-1', '203.0.113.51')).status, 'the same account from another address').to.equal(200);
    expect((await login(fresh, 'right-password-1', '2001:db8:1:2::5')).status, 'an IPv6 client').to.equal(200);
  });

  it('counts an imported user’s wrong old password: the right old one is refused while throttled, adopted after', async () => {
    const directory = mkdtempSync(path.join(TEST_OUTPUT, 'throttle-users-'));
    const file = path.join(directory, 'users.json');
    const email = `imported-${Date.now()}@example.com`;
    const hash = bcrypt.hashSync('old-secret-1', bcrypt.genSaltSync(10).replace('$2b$', '$2a$'));
    writeFileSync(
      file,
      `${JSON.stringify({ _id: { $oid: '64a1f0c2e4b0a1b2c3d4e5aa' }, email, password: hash, role: 'user', createdAt: { $date: '2025-06-01T10:00:00.000Z' } })}\n`,
    );
    const imported = await runImport(['users', '--from', file, '--yes'], { FIREBASE_AUTH_EMULATOR_HOST: auth.host, FIREBASE_PROJECT_ID: auth.projectId });
    expect(imported.code, imported.stderr).to.equal(0);
    for (let attempt = 0; attempt < 5; attempt++) expect((await login(email, `old-guess-${attempt}`, '203.0.113.9')).status).to.equal(401);
    expectThrottled(await login(email, 'old-secret-1', '203.0.113.9'), 'the right old password, while throttled');
    now += WINDOW_MS;
    expect((await login(email, 'old-secret-1', '203.0.113.9')).status, 'adopted a window later').to.equal(200);
  });
});
