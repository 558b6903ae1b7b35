import { expect } from 'chai';
import type { Stats } from '../../functions/operations/stats/stats-schema.js';
import { MetricAggregatesReader } from '../../functions/operations/adapters/metric-aggregates-reader.js';
import { useApi } from '../support/api-server.js';
import { formOf, starPayload } from '../support/asset-fixtures.js';
import { pngImage } from '../support/sample-uploads.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call, dataOf } from '../support/http-client.js';
import { seedMigrationCheckpoint, testAggregates } from '../support/ops-metrics.js';
import { TOKENS } from '../support/test-environment.js';

describe('GET /api/admin/stats', function () {
  const api = useApi();

  const stats = async () => dataOf<Stats>(await call(api.url, 'GET', '/api/admin/stats', { token: TOKENS.admin }));
  const route = (snapshot: Stats, name: string) => snapshot.api.routes.find((entry) => entry.route === name);

  it('is 401 without a token and 403 without the admin role', async () => {
    expect((await call(api.url, 'GET', '/api/admin/stats')).status).to.equal(401);
    const forbidden = await call(api.url, 'GET', '/api/admin/stats', { token: TOKENS.editor });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body.error!.code).to.equal('PERMISSION_DENIED');
  });

  it('counts API requests per route pattern and status, with latency percentiles', async () => {
    const before = await stats();
    const previous = route(before, 'GET /api/assets/:id')?.byStatus['404'] ?? 0;
    expect((await call(api.url, 'GET', '/api/assets/nope-1')).status).to.equal(404);
    expect((await call(api.url, 'GET', '/api/assets/nope-2')).status).to.equal(404);
    const after = await stats();
    const assetById = route(after, 'GET /api/assets/:id')!;
    expect(assetById.byStatus['404']).to.equal(previous + 2);
    expect(assetById.latency.count).to.be.at.least(2);
    expect(assetById.latency.p50Ms).to.be.a('number');
    expect(assetById.latency.p99Ms).to.be.at.least(assetById.latency.p50Ms!);
    // The earlier stats request itself was counted, under its own route.
    expect(route(after, 'GET /api/admin/stats')!.byStatus['200']).to.be.at.least(1);
  });

  it('counts validation errors per route, and unmatched paths under one label', async () => {
    const before = await stats();
    const invalidBefore = route(before, 'POST /api/assets')?.validationErrors ?? 0;
    const unmatchedBefore = route(before, '(unmatched)')?.requests ?? 0;
    const bad = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ layer: 'Q' }) });
    expect(bad.status).to.equal(400);
    expect((await call(api.url, 'GET', '/api/no/such/thing')).status).to.equal(404);
    const after = await stats();
    expect(route(after, 'POST /api/assets')!.validationErrors).to.equal(invalidBefore + 1);
    expect(route(after, 'POST /api/assets')!.validationErrorRate).to.be.greaterThan(0);
    expect(route(after, '(unmatched)')!.requests).to.equal(unmatchedBefore + 1);
  });

  it('counts the bytes written to the bucket', async () => {
    const bytesOf = (snapshot: Stats) => snapshot.storage.buckets.find((bucket) => bucket.bucket === 'nna_registry_assets')?.bytes ?? 0;
    const before = bytesOf(await stats());
    const bytes = await pngImage(40, 30);
    const upload = await call(api.url, 'POST', '/api/assets/upload', { token: TOKENS.editor, body: formOf({}, { name: 'a.png', type: 'image/png', bytes }) });
    expect(upload.status, upload.text).to.equal(201);
    expect(bytesOf(await stats())).to.equal(before + bytes.length);
  });

  it('shows album-art and variant outcomes, failure codes, the timeline and processing times as recorded', async () => {
    const before = await stats();
    const metrics = testAggregates();
    metrics.count('album_art_jobs', { outcome: 'stored', code: '' });
    metrics.count('album_art_jobs', { outcome: 'stored', code: '' });
    metrics.count('album_art_jobs', { outcome: 'failed', code: 'FETCH_TIMEOUT' });
    metrics.count('album_art_jobs', { outcome: 'retried', code: 'UPSTREAM_503' });
    metrics.observe('album_art_processing_ms', 120);
    metrics.observe('album_art_processing_ms', 450);
    metrics.observe('album_art_processing_ms', 4_000);
    metrics.count('variant_jobs', { outcome: 'ready', code: '' });
    metrics.observe('variant_processing_ms', 80);
    await metrics.close();
    const after = await stats();
    const art = after.albumArt;
    expect(art.outcomes['stored']).to.equal((before.albumArt.outcomes['stored'] ?? 0) + 2);
    expect(art.outcomes['failed']).to.equal((before.albumArt.outcomes['failed'] ?? 0) + 1);
    expect(art.outcomes['retried']).to.equal((before.albumArt.outcomes['retried'] ?? 0) + 1);
    expect(art.failuresByCode).to.deep.equal({ FETCH_TIMEOUT: 1 });
    expect(art.processing.count).to.equal(3);
    expect(art.processing.p50Ms).to.be.within(200, 500);
    expect(art.processing.histogram.reduce((sum, row) => sum + row.count, 0)).to.equal(3);
    expect(art.timeline.reduce((sum, minute) => sum + (minute.outcomes['stored'] ?? 0), 0)).to.equal(2);
    expect(after.variants.outcomes['ready']).to.equal(1);
    expect(after.variants.processing.count).to.equal(1);
  });

  it('sums counters spread over shards', async () => {
    const picks = [0, 0.5, 0.99];
    for (const pick of picks) {
      const metrics = testAggregates({ shards: 4, random: () => pick });
      metrics.count('album_art_jobs', { outcome: 'skipped', code: 'NO_MATCH' }, 5);
      await metrics.close();
    }
    const shards = await testFirestore().collection('ops_metrics').doc('album_art_jobs').collection('shards').listDocuments();
    expect(shards.map((shard) => shard.id).sort()).to.deep.equal(['0', '2', '3']);
    expect((await stats()).albumArt.outcomes['skipped']).to.equal(15);
  });

  it('reports each migration from its checkpoint, with the documents counter', async () => {
    const now = await seedMigrationCheckpoint('2026-11-backfill-album-art', 'running', { scanned: 420, migrated: 300, skipped: 100, conflicts: 15, errors: 5 });
    await seedMigrationCheckpoint('2026-10-creator-description', 'completed', { scanned: 10, migrated: 10, skipped: 0, conflicts: 0, errors: 0 });
    const metrics = testAggregates();
    metrics.count('migration_documents', { migration: '2026-11-backfill-album-art', outcome: 'migrated' }, 300);
    metrics.count('migration_documents', { migration: '2026-11-backfill-album-art', outcome: 'conflict' }, 15);
    await metrics.close();
    const migrations = (await stats()).migrations;
    const running = migrations.find((migration) => migration.id === '2026-11-backfill-album-art')!;
    expect(running).to.deep.include({ status: 'running', operator: 'ops@example.com', progress: null, finishedAt: null });
    expect(running.counts).to.deep.equal({ scanned: 420, migrated: 300, skipped: 100, conflicts: 15, errors: 5 });
    expect(running.documents).to.deep.equal({ migrated: 300, conflict: 15 });
    expect(running.startedAt).to.equal(now.toDate().toISOString());
    expect(migrations.find((migration) => migration.id === '2026-10-creator-description')!.progress).to.equal(1);
  });

  it('shows how full the fullest taxonomy paths are, and every path 90% full when more are', async () => {
    const counters = testFirestore().collection('assets_sequences');
    const seeded: Record<string, number> = { 'C.FUL.POP': 706, 'S.POP.BAS': 950, 'S.POP.DIV': 999 };
    for (let index = 1; index <= 12; index++) seeded[`G.POP.X${String(index).padStart(2, '0')}`] = index;
    for (const [path, last] of Object.entries(seeded)) await counters.doc(path).set({ last });
    const sequences = (await stats()).sequences;
    expect(sequences).to.deep.include({ capacity: 999, nearlyFullAt: 900 });
    expect(sequences.fullest).to.have.length(10);
    expect(sequences.fullest.slice(0, 4)).to.deep.equal([
      { path: 'S.POP.DIV', last: 999, fill: 1, nearlyFull: true, full: true },
      { path: 'S.POP.BAS', last: 950, fill: 0.951, nearlyFull: true, full: false },
      { path: 'C.FUL.POP', last: 706, fill: 0.707, nearlyFull: false, full: false },
      { path: 'G.POP.X12', last: 12, fill: 0.012, nearlyFull: false, full: false },
    ]);
    for (let index = 0; index < 10; index++) await counters.doc(`L.URB.Y${index}`).set({ last: 900 + index });
    const more = (await stats()).sequences.fullest;
    expect(more.map((entry) => entry.path)).to.have.members(['S.POP.DIV', 'S.POP.BAS', ...Array.from({ length: 10 }, (_, index) => `L.URB.Y${index}`)]);
    expect(more.every((entry) => entry.nearlyFull)).to.equal(true);
  });

  it('exports the number each create or move draws in its path as the sequence_fill metric', async () => {
    await testFirestore().collection('assets_sequences').doc('S.POP.BAS').set({ last: 904 });
    const created = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() });
    expect(dataOf<{ name: string }>(created).name).to.equal('S.POP.BAS.905');
    const moved = await call(api.url, 'PUT', '/api/assets/S.POP.BAS.905', { token: TOKENS.editor, json: { subcategory: 'DIV' } });
    expect(dataOf<{ name: string }>(moved).name).to.equal('S.POP.DIV.001');
    await call(api.url, 'PUT', '/api/assets/S.POP.DIV.001', { token: TOKENS.editor, json: { description: 'no move, no number' } });
    await stats(); // flushes the API's buffered metrics
    const series = await new MetricAggregatesReader(testFirestore(), 'ops_metrics').histograms('sequence_fill');
    const byPath = Object.fromEntries(series.map(({ labels, histogram }) => [labels['path'], { count: histogram.count, sum: histogram.sum }]));
    expect(byPath).to.deep.equal({ 'S.POP.BAS': { count: 1, sum: 905 }, 'S.POP.DIV': { count: 1, sum: 1 } });
  });
});
