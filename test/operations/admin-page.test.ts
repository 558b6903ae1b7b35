/**
 * The status page in headless Chromium (Debian's `chromium`, driven by playwright-core): it loads,
 * reads the statistics with an admin token, draws every chart with data, and a screenshot is kept
 * in test-output/admin-page.png.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { useApi, type ApiServer } from '../support/api-server.js';
import { testFirestore } from '../support/firestore-direct.js';
import { call } from '../support/http-client.js';
import { seedMigrationCheckpoint, testAggregates } from '../support/ops-metrics.js';
import { TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// The machine's network is closed: Chromium's background services must not try to reach out.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function seedMetrics(api: ApiServer): Promise<void> {
  const metrics = testAggregates();
  const outcomes: Array<[string, string, number]> = [
    ['stored', '', 14],
    ['failed', 'FETCH_TIMEOUT', 2],
    ['failed', 'NOT_AN_IMAGE', 1],
    ['retried', 'UPSTREAM_503', 3],
    ['skipped', 'NO_MATCH', 2],
  ];
  for (const [outcome, code, count] of outcomes) metrics.count('album_art_jobs', { outcome, code }, count);
  for (const value of [35, 80, 120, 150, 240, 260, 400, 650, 900, 1400, 2600]) metrics.observe('album_art_processing_ms', value);
  await metrics.close();
  await seedMigrationCheckpoint('2026-11-backfill-album-art', 'running', { scanned: 420, migrated: 300, skipped: 90, conflicts: 20, errors: 10 });
  for (const [path, last] of Object.entries({ 'C.FUL.POP': 706, 'S.POP.BAS': 950, 'S.POP.DIV': 999, 'G.POP.TEN': 3 })) {
    await testFirestore().collection('assets_sequences').doc(path).set({ last });
  }
  for (const path of ['/api/health', '/api/taxonomy/layers', '/api/assets', '/api/assets/missing']) await call(api.url, 'GET', path);
}

describe('GET /admin (status page) in headless Chromium', function () {
  const api = useApi();
  let context: BrowserContext | undefined;
  let profile: string;
  before(async function () {
    this.timeout(90_000);
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    profile = mkdtempSync(path.join(tmpdir(), 'admin-page-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 1000 },
    });
  });
  after(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('serves an HTML shell that holds no data, with a strict content security policy', async () => {
    const reply = await call(api.url, 'GET', '/admin');
    expect(reply.status).to.equal(200);
    expect(reply.headers.get('content-type')).to.match(/^text\/html/);
    expect(reply.headers.get('content-security-policy'))
      .to.match(/script-src 'sha256-[^']+'/)
      .and.include("connect-src 'self'");
    const document = (await call(api.url, 'GET', '/api/openapi.json')).body as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { content: object }> }>>;
    };
    expect(document.paths['/admin']!['get']!.responses['200']!.content).to.have.key('text/html');
    expect(Object.keys(document.paths['/api/admin/flags']!)).to.have.members(['get', 'put']);
    expect(document.paths).to.include.keys('/api/admin/stats', '/api/admin/flags/audit', '/api/health/ready');
    expect(reply.text, 'nothing is loaded from elsewhere').to.not.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//);
  });

  it('asks for a token and says so when the token lacks the admin role', async function () {
    this.timeout(60_000);
    const page = await context!.newPage();
    await page.goto(`${api.url}/admin`);
    await page.waitForSelector('body[data-state="needs-token"]');
    await page.fill('#token', TOKENS.editor);
    await page.click('button[type="submit"]');
    await page.waitForSelector('body[data-state="error"]');
    expect(await page.textContent('#status')).to.include('403');
    await page.evaluate('sessionStorage.clear()');
    await page.close();
  });

  it('draws every chart from the statistics and writes a screenshot', async function () {
    this.timeout(60_000);
    await seedMetrics(api);
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${api.url}/admin?refresh=2#token=${encodeURIComponent(TOKENS.admin.replace('Bearer ', ''))}`);
    await page.waitForSelector('body[data-state="loaded"]');
    expect(page.url(), 'the token leaves the address bar').to.not.include('token');
    const outcomeBars = await page.$$eval('#outcomes-chart rect.bar', (bars) =>
      bars.map((bar) => [bar.getAttribute('data-outcome'), Number(bar.getAttribute('data-count'))]),
    );
    expect(outcomeBars).to.deep.include.members([
      ['stored', 14],
      ['failed', 3],
    ]);
    const histogram = await page.$$eval('#processing-chart rect.bar', (bars) => bars.map((bar) => Number(bar.getAttribute('data-count'))));
    expect(histogram.reduce((sum, count) => sum + count, 0)).to.equal(11);
    const segments = await page.$$eval('#migrations-chart rect.segment', (parts) =>
      parts.map((part) => [part.getAttribute('data-part'), Number(part.getAttribute('data-count'))]),
    );
    expect(segments).to.deep.equal([
      ['migrated', 300],
      ['skipped', 90],
      ['conflicts', 20],
      ['errors', 10],
    ]);
    const latencyRoutes = await page.$$eval('#latency-chart rect.bar', (bars) => [...new Set(bars.map((bar) => bar.getAttribute('data-route')))]);
    expect(latencyRoutes).to.include.members(['GET /api/health', 'GET /api/taxonomy/layers']);
    expect(await page.textContent('#failure-codes')).to.include('FETCH_TIMEOUT');
    const paths = await page.$$eval('#sequences-chart rect.fill', (bars) =>
      bars.map((bar) => [bar.getAttribute('data-path'), Number(bar.getAttribute('data-last')), bar.getAttribute('data-state')]),
    );
    expect(paths).to.deep.equal([
      ['S.POP.DIV', 999, 'full'],
      ['S.POP.BAS', 950, 'nearlyFull'],
      ['C.FUL.POP', 706, 'room'],
      ['G.POP.TEN', 3, 'room'],
    ]);
    expect(await page.textContent('#sequences-summary')).to.equal('2 path(s) 900+ of 999: S.POP.DIV (full), S.POP.BAS');
    // It refreshes itself: a later load carries a later generation time.
    const first = await page.getAttribute('body', 'data-generated-at');
    let later = first;
    for (let attempt = 0; attempt < 150 && later === first; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      later = await page.getAttribute('body', 'data-generated-at');
    }
    expect(later).to.not.equal(first);
    const screenshot = path.join(TEST_OUTPUT, 'admin-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).to.be.greaterThan(10_000);
    expect(errors).to.deep.equal([]);
    await page.close();
  });
});
