import { expect } from 'chai';
import { startApi, type ApiServer } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf } from '../support/http-client.js';
import { TOKENS } from '../support/test-environment.js';

describe('sequence numbers under concurrency', function () {
  this.timeout(180_000);
  let servers: ApiServer[] = [];
  before(async () => {
    // Two processes, as two Cloud Functions instances: each with its own Firestore client and event
    // loop, so the counter race is between instances that share nothing but the database.
    servers = await Promise.all([startApi({}, { process: true }), startApi({}, { process: true })]);
  });
  after(async () => Promise.all(servers.map((server) => server.stop())));

  async function createMany(count: number, pick: (index: number) => ApiServer): Promise<number[]> {
    const replies = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        call(pick(index).url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ description: `asset ${index}` }) }),
      ),
    );
    const failures = replies.filter((reply) => reply.status !== 201);
    expect(failures.map((reply) => `${reply.status} ${reply.text}`)).to.deep.equal([]);
    return replies.map((reply) => Number(dataOf<{ name: string }>(reply).name.split('.')[3]));
  }

  function expectConsecutive(numbers: number[], count: number): void {
    expect(new Set(numbers).size, 'distinct').to.equal(count);
    expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: count }, (_, index) => index + 1));
  }

  it('gives 500 concurrent creates in one subcategory 500 distinct consecutive numbers', async () => {
    expectConsecutive(await createMany(500, () => servers[0]!), 500);
  });

  it('stays distinct and consecutive when two instances contend for the counter', async () => {
    expectConsecutive(await createMany(100, (index) => servers[index % 2]!), 100);
  });
});
