import { expect } from 'chai';
import { FirestoreFeatureFlags } from '../../functions/operations/adapters/firestore-feature-flags.js';
import type { FlagAuditEntry, FlagsView } from '../../functions/operations/flags/flag-schemas.js';
import { createLogger } from '../../functions/platform/logger.js';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { snapshotCollection, testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

const flagsDocument = () => testFirestore().collection('config').doc('flags');

describe('feature flags adapter (defaults, Firestore, environment, cache)', () => {
  let clock = 0;
  const logged: string[] = [];
  const adapter = (envOverrides: Record<string, boolean> = {}) =>
    new FirestoreFeatureFlags(testFirestore(), {
      document: 'config/flags',
      cacheTtlMs: 1000,
      envOverrides,
      logger: createLogger('WARNING', {}, (line) => logged.push(line)),
      now: () => clock,
    });

  it('falls back to the code defaults when no document exists', async () => {
    const flags = adapter();
    expect(await flags.isEnabled('CREATOR_DESCRIPTION')).to.equal(true);
    expect(await flags.isEnabled('VARIANT_ORIGINAL_AVIF')).to.equal(false);
  });

  it('applies a Firestore change once the cache time has passed, not before', async () => {
    clock = 10_000;
    const flags = adapter();
    expect(await flags.isEnabled('ALBUM_ART_PIPELINE')).to.equal(true);
    await flagsDocument().set({ values: { ALBUM_ART_PIPELINE: false }, updatedBy: 'someone@example.com' });
    clock += 999;
    expect(await flags.isEnabled('ALBUM_ART_PIPELINE'), 'still cached').to.equal(true);
    clock += 2;
    expect(await flags.isEnabled('ALBUM_ART_PIPELINE'), 'after the cache time').to.equal(false);
  });

  it('lets an explicit environment override win over Firestore and reports every source', async () => {
    await flagsDocument().set({ values: { MIGRATION_WRITES: false, VARIANT_ORIGINAL_WEBP: true, RETIRED_FLAG: true } });
    const flags = adapter({ MIGRATION_WRITES: true });
    expect(await flags.isEnabled('MIGRATION_WRITES')).to.equal(true);
    expect(await flags.isEnabled('VARIANT_ORIGINAL_WEBP')).to.equal(true);
    const view = await flags.view();
    expect(view.flags['MIGRATION_WRITES']).to.deep.equal({ value: true, source: 'environment', default: true, firestore: false, environment: true });
    expect(view.flags['VARIANT_ORIGINAL_WEBP']).to.deep.include({ value: true, source: 'firestore' });
    expect(view.flags['CREATOR_DESCRIPTION']).to.deep.include({ value: true, source: 'default', firestore: null });
    expect(view.flags).to.not.have.property('RETIRED_FLAG');
    expect(view.precedence).to.deep.equal(['environment', 'firestore', 'default']);
  });

  it('uses the defaults, without failing, when the document is malformed', async () => {
    await flagsDocument().set({ values: { CREATOR_DESCRIPTION: 'no' } });
    expect(await adapter().isEnabled('CREATOR_DESCRIPTION')).to.equal(true);
    expect(logged.at(-1)).to.include('"severity":"ERROR"').and.include('the flags document is malformed');
  });
});

describe('GET/PUT /api/admin/flags', function () {
  const api = useApi({ FLAGS_CACHE_TTL_MS: '1000', FLAG_VARIANT_ORIGINAL_AVIF: 'true' });

  const put = (json: unknown, token = TOKENS.admin) => call(api.url, 'PUT', '/api/admin/flags', { token, json });

  it('is 401 without a token and 403 without the admin role, and changes nothing then', async () => {
    expect((await call(api.url, 'GET', '/api/admin/flags')).status).to.equal(401);
    expect((await call(api.url, 'GET', '/api/admin/flags', { token: TOKENS.editor })).status).to.equal(403);
    expect((await put({ CREATOR_DESCRIPTION: false }, '')).status).to.equal(401);
    expect((await put({ CREATOR_DESCRIPTION: false }, TOKENS.editor)).status).to.equal(403);
    expect((await flagsDocument().get()).exists).to.equal(false);
  });

  it('returns every flag with its value and source', async () => {
    const view = dataOf<FlagsView>(await call(api.url, 'GET', '/api/admin/flags', { token: TOKENS.admin }));
    expect(view.flags['VARIANT_ORIGINAL_AVIF']).to.deep.include({ value: true, source: 'environment' });
    expect(view.flags['CREATOR_DESCRIPTION']).to.deep.include({ value: true, source: 'default' });
    expect(view.cacheTtlMs).to.equal(1000);
  });

  it('refuses unknown flags and non-boolean values by name, changing nothing', async () => {
    await put({ CREATOR_DESCRIPTION: false });
    const before = await snapshotCollection('config');
    const unknown = await put({ CREATOR_DESCRIPTION: true, NOT_A_FLAG: true });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error!.details).to.deep.equal([{ path: 'NOT_A_FLAG', issue: unknown.body.error!.details[0]!.issue }]);
    expect(unknown.body.error!.details[0]!.issue).to.include('is not a feature flag');
    const wrongType = await put({ CREATOR_DESCRIPTION: 'off' });
    expect(wrongType.status).to.equal(400);
    expect(wrongType.body.error!.details[0]!.path).to.equal('CREATOR_DESCRIPTION');
    expect((await put({})).status).to.equal(400);
    expect((await put([true])).status).to.equal(400);
    expect(await snapshotCollection('config')).to.deep.equal(before);
    expect((await flagsDocument().collection('audit').get()).size).to.equal(1);
  });

  it('records who changed what, from which value to which, and when', async () => {
    const first = await put({ CREATOR_DESCRIPTION: false, VARIANT_ORIGINAL_WEBP: true });
    expect(first.status, first.text).to.equal(200);
    const result = dataOf<{ flags: FlagsView; audit: FlagAuditEntry }>(first);
    expect(result.flags.flags['CREATOR_DESCRIPTION']).to.deep.include({ value: false, source: 'firestore' });
    expect(result.flags.updatedBy).to.equal('admin@example.com');
    await put({ CREATOR_DESCRIPTION: null }, 'Bearer dev:other-admin@example.com:admin');
    const trail = dataOf<FlagAuditEntry[]>(await call(api.url, 'GET', '/api/admin/flags/audit', { token: TOKENS.admin }));
    expect(trail).to.have.length(2);
    expect(trail[0]!.actor).to.equal('other-admin@example.com');
    expect(trail[0]!.changes).to.deep.equal([{ flag: 'CREATOR_DESCRIPTION', from: false, to: null, effectiveFrom: false, effectiveTo: true }]);
    expect(trail[1]!.actor).to.equal('admin@example.com');
    expect(trail[1]!.changes).to.deep.equal([
      { flag: 'CREATOR_DESCRIPTION', from: null, to: false, effectiveFrom: true, effectiveTo: false },
      { flag: 'VARIANT_ORIGINAL_WEBP', from: null, to: true, effectiveFrom: false, effectiveTo: true },
    ]);
    expect(Date.parse(trail[1]!.at)).to.be.at.most(Date.parse(trail[0]!.at));
    expect((await call(api.url, 'GET', '/api/admin/flags/audit', { token: TOKENS.editor })).status).to.equal(403);
    expect((await call(api.url, 'GET', '/api/admin/flags/audit?limit=0', { token: TOKENS.admin })).status).to.equal(400);
  });

  it('takes effect on requests within the cache time when another instance flips the flag', async () => {
    const payload = starPayload({ creatorDescription: 'Made by me' });
    expect((await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: payload })).status).to.equal(201);
    // Another instance (or an operator) writes the document; this server only learns of it by re-reading.
    await flagsDocument().set({ values: { CREATOR_DESCRIPTION: false }, updatedBy: 'elsewhere@example.com' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: payload });
    expect(refused.status).to.equal(400);
    expect(refused.body.error!.code).to.equal('FEATURE_DISABLED');
  });
});
