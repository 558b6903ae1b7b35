/**
 * Seeded, repeatable fuzzing of the API through the real functions-framework server. Goal: no 5xx,
 * no crash, every 4xx in the error envelope. `npm test` runs FUZZ_RUNS (default 1,500);
 * `npm run test:hard` runs 10,000. A failure prints the seed and the shrunk request.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { useApi } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';
import { headerBytes, NODE_HEADER_LIMIT, send, violation, type RawReply } from './fuzz-client.js';
import { fuzzRequest } from './request-arbitraries.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261125);

describe('API fuzzing', function () {
  this.timeout(RUNS * 200 + 60_000);
  const api = useApi();

  it(`answers ${RUNS} generated requests (seed ${SEED}) without a 5xx, a crash or an error outside the envelope`, async () => {
    // A few real assets so that ids, addresses and If-Match meet existing documents too.
    for (let index = 0; index < 3; index++) dataOf(await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload() }));
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (request) => {
        let reply: RawReply;
        try {
          reply = await send(api.url, request);
        } catch (error) {
          // Over the header limit, Node's parser may close the socket while the body is still being
          // written: the client sees a reset instead of the 431. Anything else is a real failure.
          const code = (error as NodeJS.ErrnoException).code;
          if ((code === 'ECONNRESET' || code === 'EPIPE') && headerBytes(request) > NODE_HEADER_LIMIT - 512) return;
          throw error;
        }
        const problem = violation(request, reply);
        if (problem) {
          const shown = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}…(${text.length} chars)` : text);
          throw new Error(
            `${request.method} ${shown(request.path)} ${shown(JSON.stringify(request.headers))} ${shown(String(request.body ?? ''))} -> ${problem}`,
          );
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
    expect(api.running(), 'the server still answers').to.equal(true);
    expect((await call(api.url, 'GET', '/api/health')).status).to.equal(200);
  });
});
