/**
 * No write outlives its answer: 60 concurrent writes into one subcategory (30 creates, 30 moves into
 * it) with a short Firestore deadline, once under plain contention and once with the database frozen
 * mid-flight (SIGSTOP) for longer than the deadline. Every 2xx is stored, every 5xx but
 * OUTCOME_UNKNOWN is not, even after the database comes back and everything pending has settled, and
 * a retry with the same Idempotency-Key after an unknown outcome makes exactly one asset.
 */
import { expect } from 'chai';
import path from 'node:path';
import { startFirestoreEmulator, type Emulator } from '../../scripts/lib/emulators.js';
import { startApi, type ApiProcess } from '../support/api-server.js';
import { starPayload } from '../support/asset-fixtures.js';
import { call, dataOf, type ApiReply, type Envelope } from '../support/http-client.js';
import { TEST_OUTPUT, TOKENS } from '../support/test-environment.js';

const DEADLINE_MS = 3000;
const TARGET = { category: 'POP', subcategory: 'BAS' };
const SOURCE = { category: 'POP', subcategory: 'HPM' };

interface Listed {
  id: string;
  description: string;
  name: string;
  subcategoryCode: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('writes within their deadline', function () {
  this.timeout(300_000);
  let firestore: Emulator | undefined;
  let api: ApiProcess | undefined;
  let seeder: ApiProcess | undefined;

  before(async () => {
    firestore = await startFirestoreEmulator(path.join(TEST_OUTPUT, 'write-deadline'));
    // Their own processes on an emulator of their own: this suite freezes that emulator. The seeder
    // has the default deadline, so seeding never meets the short one.
    [api, seeder] = await Promise.all([
      startApi({ FIRESTORE_EMULATOR_HOST: firestore.host, FIRESTORE_DEADLINE_MS: String(DEADLINE_MS), IDEMPOTENCY_WAIT_MS: '0' }, { process: true }),
      startApi({ FIRESTORE_EMULATOR_HOST: firestore.host }, { process: true }),
    ]);
    // A warm instance (routes loaded, Firestore channel open): a cold first write can outlast the short deadline.
    for (let attempt = 0; attempt < 60; attempt++) {
      const warm = await call(api.url, 'POST', '/api/assets', { token: TOKENS.editor, json: starPayload({ category: 'POP', subcategory: 'DIV' }) });
      if (warm.status === 201) break;
      await sleep(500);
    }
  });
  after(async () => {
    await Promise.all([api?.stop(), seeder?.stop()]);
    await firestore?.stop();
  });

  /** Every asset of the layer S (through the seeder, which has time). */
  async function everything(): Promise<Listed[]> {
    const reply = await call(seeder!.url, 'GET', '/api/assets?layer=S&limit=1000');
    return (dataOf<{ items: Listed[] }>(reply).items ?? []).map((item) => ({ ...item }));
  }

  /** Until nothing changes for three seconds: whatever is still pending anywhere has landed by then. */
  async function settled(): Promise<Listed[]> {
    let last = JSON.stringify(await everything());
    for (let quiet = 0; quiet < 3;) {
      await sleep(1000);
      const now = JSON.stringify(await everything());
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    return JSON.parse(last) as Listed[];
  }

  async function seedSources(round: string): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < 30; index++) {
      const reply = await call(seeder!.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: starPayload({ ...SOURCE, description: `${round}-source-${index}` }),
      });
      ids.push(dataOf<{ id: string }>(reply).id);
    }
    return ids;
  }

  function outcomeOf(reply: ApiReply<Envelope>): 'written' | 'not written' | 'unknown' {
    if (reply.status >= 200 && reply.status < 300) return 'written';
    if (reply.status === 503 && reply.body.error?.code === 'OUTCOME_UNKNOWN') return 'unknown';
    expect(reply.status, reply.text).to.be.oneOf([503]);
    expect(reply.body.error!.code, reply.text).to.equal('SERVICE_UNAVAILABLE');
    return 'not written';
  }

  /** The 60 writes at once (plus the lone surrogate of the report, now a 400 at the edge); optionally a freeze meanwhile. */
  async function sixtyWrites(round: string, sources: string[], during?: () => Promise<void>) {
    const creates = Array.from({ length: 30 }, (_, index) =>
      call(api!.url, 'POST', '/api/assets', {
        token: TOKENS.editor,
        json: starPayload({ ...TARGET, description: `${round}-create-${index}` }),
        headers: { 'Idempotency-Key': `${round}-${index}` },
      }),
    );
    const moves = sources.map((id) => call(api!.url, 'PUT', `/api/assets/${id}`, { token: TOKENS.editor, json: TARGET }));
    const surrogate = call(api!.url, 'POST', '/api/assets', {
      token: TOKENS.editor,
      body: JSON.stringify(starPayload(TARGET)).replace('"Asset reference Star asset"', '"\\ud800"'),
      headers: { 'content-type': 'application/json' },
    });
    await during?.();
    const [created, moved, refused] = await Promise.all([Promise.all(creates), Promise.all(moves), surrogate]);
    expect(refused.status, refused.text).to.equal(400);
    return { created, moved };
  }

  function check(round: string, sources: string[], created: ApiReply<Envelope>[], moved: ApiReply<Envelope>[], stored: Listed[]) {
    const inTarget = stored.filter((asset) => asset.subcategoryCode === TARGET.subcategory);
    const tally = { written: 0, 'not written': 0, unknown: 0 };
    created.forEach((reply, index) => {
      const outcome = outcomeOf(reply);
      tally[outcome]++;
      const copies = stored.filter((asset) => asset.description === `${round}-create-${index}`).length;
      if (outcome === 'written') expect(copies, `create ${index} answered ${reply.status}`).to.equal(1);
      if (outcome === 'not written') expect(copies, `create ${index} answered 503 ${reply.text}`).to.equal(0);
      if (outcome === 'unknown') expect(copies, `create ${index} answered unknown`).to.be.at.most(1);
    });
    moved.forEach((reply, index) => {
      const outcome = outcomeOf(reply);
      tally[outcome]++;
      const asset = stored.find((candidate) => candidate.id === sources[index])!;
      if (outcome === 'written') expect(asset.subcategoryCode, `move ${index} answered ${reply.status}`).to.equal(TARGET.subcategory);
      if (outcome === 'not written') expect(asset.subcategoryCode, `move ${index} answered 503 ${reply.text}`).to.equal(SOURCE.subcategory);
    });
    const mine = inTarget.filter((asset) => asset.description.startsWith(`${round}-`));
    // The report's measure: answered 2xx equals stored, up to the writes whose answer said it cannot know.
    expect(mine.length, JSON.stringify(tally)).to.be.within(tally.written, tally.written + tally.unknown);
    expect(new Set(inTarget.map((asset) => asset.name)).size, 'names stay distinct').to.equal(inTarget.length);
    return tally;
  }

  it('stores exactly what was answered 2xx when 60 writes contend for one subcategory', async () => {
    const sources = await seedSources('contended');
    const { created, moved } = await sixtyWrites('contended', sources);
    const tally = check('contended', sources, created, moved, await settled());
    expect(tally.written + tally['not written'] + tally.unknown).to.equal(60);
  });

  it('stores exactly what was answered 2xx when the database freezes mid-flight, and a retry with the key makes one asset', async () => {
    const sources = await seedSources('frozen');
    const group = -firestore!.child.pid!;
    const { created, moved } = await sixtyWrites('frozen', sources, async () => {
      await sleep(150);
      process.kill(group, 'SIGSTOP');
      await sleep(DEADLINE_MS * 3);
      process.kill(group, 'SIGCONT');
    });
    const tally = check('frozen', sources, created, moved, await settled());
    expect(tally.written + tally['not written'] + tally.unknown).to.equal(60);
    expect(tally['not written'] + tally.unknown, 'the freeze outlasted the deadline of the writes in flight').to.be.greaterThan(0);

    // Every create that was not answered 2xx, retried with its key until it is: one asset each.
    for (const [index, reply] of created.entries()) {
      if (outcomeOf(reply) === 'written') continue;
      let retry: ApiReply<Envelope>;
      const until = Date.now() + 60_000;
      do {
        retry = await call(api!.url, 'POST', '/api/assets', {
          token: TOKENS.editor,
          json: starPayload({ ...TARGET, description: `frozen-create-${index}` }),
          headers: { 'Idempotency-Key': `frozen-${index}` },
        });
        if (retry.status !== 201) await sleep(500);
      } while (retry.status !== 201 && Date.now() < until);
      expect(retry.status, retry.text).to.equal(201);
    }
    const after = await settled();
    for (let index = 0; index < 30; index++) {
      expect(
        after.filter((asset) => asset.description === `frozen-create-${index}`),
        `create ${index}`,
      ).to.have.length(1);
    }
  });
});
