/**
 * Load: creates, gets and searches at a fixed concurrency for a bounded time. Every request must
 * succeed; the figures go to test-output/load.json (the benchmark `load` records them in the report).
 * LOAD_SECONDS per scenario: 3 in `npm test`, 30 in `npm run test:hard`.
 */
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLoad } from '../../scripts/bench/load-runner.js';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

const SECONDS = Number(process.env['LOAD_SECONDS'] ?? (process.env['HARD'] ? 30 : 3));
const CONNECTIONS = 10;

describe('load', function () {
  this.timeout(SECONDS * 3 * 1000 + 120_000);
  const api = useApi();

  it(`serves creates, gets and searches at ${CONNECTIONS} connections for ${SECONDS}s each without an error`, async () => {
    const asset = dataOf<{ id: string }>(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    const figures = await runLoad({ baseUrl: api.url, seconds: SECONDS, connections: CONNECTIONS, assetId: asset.id });
    mkdirSync(TEST_OUTPUT, { recursive: true });
    writeFileSync(path.join(TEST_OUTPUT, 'load.json'), `${JSON.stringify(figures, null, 2)}\n`);
    for (const figure of figures) {
      expect(figure.requests, figure.scenario).to.be.greaterThan(0);
      expect({ scenario: figure.scenario, errors: figure.errors, non2xx: figure.non2xx, timeouts: figure.timeouts }).to.deep.equal({
        scenario: figure.scenario,
        errors: 0,
        non2xx: 0,
        timeouts: 0,
      });
    }
    expect(api.running()).to.equal(true);
  });
});
