/**
 * A fixed-concurrency load against a running API with autocannon: creates, gets and searches, each
 * for a bounded time on 127.0.0.1. Used by the load test (asserts no errors) and the benchmark.
 */
import autocannon from 'autocannon';

export interface LoadFigures {
  scenario: string;
  requests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

export interface LoadOptions {
  baseUrl: string;
  seconds: number;
  connections: number;
  /** An existing asset id for the GET scenario. */
  assetId: string;
}

const EDITOR = 'Bearer dev:load@example.com:editor';

function run(scenario: string, options: LoadOptions, request: autocannon.Request): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: options.baseUrl, connections: options.connections, duration: options.seconds, requests: [request] },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          scenario,
          requests: result.requests.total,
          errors: result.errors,
          non2xx: result.non2xx,
          timeouts: result.timeouts,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          requestsPerSecond: result.requests.average,
        });
      },
    );
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadFigures[]> {
  const body = JSON.stringify({ layer: 'S', category: 'POP', subcategory: 'BAS', description: 'load test star', tags: ['load'] });
  return [
    await run('create', options, { method: 'POST', path: '/api/assets', headers: { authorization: EDITOR, 'content-type': 'application/json' }, body }),
    await run('get', options, { method: 'GET', path: `/api/assets/${options.assetId}` }),
    await run('search', options, { method: 'GET', path: '/api/assets?layer=S&category=POP&limit=20' }),
  ];
}
