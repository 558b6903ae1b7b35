/** Sign-in against the Firebase Auth emulator: register, log in, profile, writes, revocation, roles. */
import { expect } from 'chai';
import { revokeTokens, setClaims } from '../support/auth-emulator.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { registerUser, useContractServer, type Asset } from './contract-server.js';

const STAR = { layer: 'S', category: 'POP', subcategory: 'BAS', description: 'Signed-in star' };

describe('frontend contract: sign-in with Firebase Authentication (Auth emulator)', function () {
  this.timeout(120_000);
  const server = useContractServer();

  it('registers, logs in, reads the profile and writes with the token', async () => {
    const email = `flow-${Date.now()}@example.com`;
    const registered = await registerUser(server.url, email, 'pass-word-9');
    expect(registered.user.role).to.equal('editor');
    const login = dataOf<{ token: string; user: { id: string } }>(
      await call(server.url, 'POST', '/api/auth/login', { json: { email: email.toUpperCase(), password: 'pass-word-9' } }),
    );
    expect(login.user.id).to.equal(registered.user.id);
    const profile = dataOf<{ email: string; id: string }>(await call(server.url, 'GET', '/api/auth/profile', { token: `Bearer ${login.token}` }));
    expect(profile).to.include({ email, id: registered.user.id });
    const created = await call(server.url, 'POST', '/api/assets', { token: `Bearer ${login.token}`, json: STAR });
    expect(created.status, created.text).to.equal(201);
    expect(dataOf<Asset>(created)['createdBy']).to.equal(email);
  });

  it('refuses a revoked token on writes and ignores it on reads', async () => {
    const { token, user } = await registerUser(server.url, `revoked-${Date.now()}@example.com`);
    const before = await call(server.url, 'POST', '/api/assets', { token: `Bearer ${token}`, json: STAR });
    expect(before.status, before.text).to.equal(201);
    // Revocation counts whole seconds: a token issued in the same second as the revocation stays valid.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await revokeTokens(server.auth, user.id);
    const write = await call(server.url, 'POST', '/api/assets', { token: `Bearer ${token}`, json: STAR });
    expect(write.status, write.text).to.equal(401);
    expect((await testFirestore().collection('assets').get()).size).to.equal(1);
    const read = await call(server.url, 'GET', '/api/assets?page=1&limit=6', { token: `Bearer ${token}` });
    expect(read.status).to.equal(200);
    expect((read.body.data as { total: number }).total).to.equal(1);
  });

  it('refuses an expired (or otherwise invalid) Firebase token on writes and ignores it on reads', async () => {
    const { token } = await registerUser(server.url, `expired-${Date.now()}@example.com`);
    const [header, payload] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, number>;
    const expired = `${header}.${Buffer.from(JSON.stringify({ ...claims, iat: claims['iat']! - 7200, exp: claims['iat']! - 3600 })).toString('base64url')}.`;
    const write = await call(server.url, 'POST', '/api/assets', { token: `Bearer ${expired}`, json: STAR });
    expect(write.status, write.text).to.equal(401);
    expect(write.body.error!.message).to.match(/expired/);
    expect((await call(server.url, 'GET', '/api/assets', { token: `Bearer ${expired}` })).status).to.equal(200);
    expect((await testFirestore().collection('assets').get()).size).to.equal(0);
  });

  it('lets an admin grant and remove roles (audited); the role applies from the next sign-in', async () => {
    const admin = await registerUser(server.url, `admin-${Date.now()}@example.com`, 'admin-pass-1');
    await setClaims(server.auth, admin.user.id, { roles: ['admin'] });
    const adminToken = dataOf<{ token: string }>(
      await call(server.url, 'POST', '/api/auth/login', { json: { email: admin.user.email, password: 'admin-pass-1' } }),
    ).token;
    const viewer = await registerUser(server.url, `viewer-${Date.now()}@example.com`, 'viewer-pass-1');

    const removed = await call(server.url, 'PUT', `/api/admin/users/${viewer.user.id}/roles`, { token: `Bearer ${adminToken}`, json: { roles: [] } });
    expect(removed.status, removed.text).to.equal(200);
    let token = dataOf<{ token: string; user: { role: string } }>(
      await call(server.url, 'POST', '/api/auth/login', { json: { email: viewer.user.email, password: 'viewer-pass-1' } }),
    );
    expect(token.user.role).to.equal('user');
    expect((await call(server.url, 'POST', '/api/assets', { token: `Bearer ${token.token}`, json: STAR })).status).to.equal(403);

    const granted = await call(server.url, 'PUT', `/api/admin/users/${viewer.user.id}/roles`, { token: `Bearer ${adminToken}`, json: { roles: ['editor'] } });
    expect(granted.status, granted.text).to.equal(200);
    const audit = (granted.body.data as { audit: Record<string, unknown> }).audit;
    expect(audit).to.include({ actor: admin.user.email, uid: viewer.user.id, email: viewer.user.email });
    expect(audit['from']).to.deep.equal([]);
    expect(audit['to']).to.deep.equal(['editor']);
    const trail = dataOf<Array<Record<string, unknown>>>(await call(server.url, 'GET', '/api/admin/roles/audit?limit=10', { token: `Bearer ${adminToken}` }));
    expect(trail[0]).to.deep.include({ actor: admin.user.email, uid: viewer.user.id, from: [], to: ['editor'] });
    expect(trail[1]).to.deep.include({ actor: admin.user.email, uid: viewer.user.id, from: ['editor'], to: [] });
    token = dataOf(await call(server.url, 'POST', '/api/auth/login', { json: { email: viewer.user.email, password: 'viewer-pass-1' } }));
    expect(token.user.role).to.equal('editor');
    expect((await call(server.url, 'POST', '/api/assets', { token: `Bearer ${token.token}`, json: STAR })).status).to.equal(201);

    // Only admins may: an editor is refused, and so is an unknown role.
    expect(
      (await call(server.url, 'PUT', `/api/admin/users/${admin.user.id}/roles`, { token: `Bearer ${token.token}`, json: { roles: ['editor'] } })).status,
    ).to.equal(403);
    const unknownRole = await call(server.url, 'PUT', `/api/admin/users/${viewer.user.id}/roles`, {
      token: `Bearer ${adminToken}`,
      json: { roles: ['owner'] },
    });
    expect(unknownRole.status).to.equal(400);
    expect(
      (await call(server.url, 'PUT', '/api/admin/users/nobody-here/roles', { token: `Bearer ${adminToken}`, json: { roles: ['editor'] } })).status,
    ).to.equal(404);
  });
});
