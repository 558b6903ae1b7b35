import { expect } from 'chai';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { useApi } from '../support/api-server.js';
import { call } from '../support/http-client.js';

/**
 * The served OpenAPI document passes Redocly's "recommended" rules with no error and no warning.
 * Two rules are off, each for a reason the document cannot fix (see LINT_CONFIG).
 */
const LINT_CONFIG = {
  extends: ['recommended'],
  rules: {
    // /api/assets/{id}/album-art and /api/assets/nna/{address} overlap by shape; the router resolves
    // literal segments first and the frontend and ReViz call these paths as they are.
    'no-ambiguous-paths': 'off',
    // Liveness, this document and the index of links answer 200 to every request that reaches them.
    'operation-4xx-response': 'off',
  },
} as const;

describe('OpenAPI document: recommended-rules lint', function () {
  const api = useApi();

  it('has no lint error or warning', async function () {
    this.timeout(30_000);
    const reply = await call(api.url, 'GET', '/api/openapi.json');
    expect(reply.status).to.equal(200);
    const config = await createConfig(LINT_CONFIG as unknown as Parameters<typeof createConfig>[0]);
    const problems = await lintFromString({ source: reply.text, absoluteRef: 'openapi.json', config });
    const lines = problems.map(
      (problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location.map((location) => location.pointer).join(', ')}`,
    );
    expect(lines).to.deep.equal([]);
  });

  it('derives operationIds, public security and the statuses each route can answer from the route table', async () => {
    const document = (await call(api.url, 'GET', '/api/openapi.json')).body as unknown as {
      paths: Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown> }>>;
    };
    const byId = document.paths['/api/assets/{id}']!;
    expect(byId['get']!.operationId).to.equal('getAssetsById');
    expect(Object.keys(byId['put']!.responses)).to.include.members(['200', '400', '401', '403', '404', '412', '413', '415', '503']);
    expect(document.paths['/api/health']!['get']!.security).to.deep.equal([]);
    expect(document.paths['/api/assets']!['get']!.security).to.deep.equal([{}, { bearer: [] }]);
    expect(Object.keys(document.paths['/api/health/ready']!['get']!.responses)).to.have.members(['200', '503']);
    const ids = Object.values(document.paths).flatMap((operations) => Object.values(operations).map((operation) => operation.operationId));
    expect(new Set(ids).size).to.equal(ids.length);
  });
});
