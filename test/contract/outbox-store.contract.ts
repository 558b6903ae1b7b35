/**
 * What the outbox relay relies on from an OutboxStore, with messages the repository's writes commit
 * in their own transactions: run against the Firestore adapters and against the in-memory fake.
 */
import { expect } from 'chai';
import { PreconditionFailedError } from '../../functions/domain/errors.js';
import type { OutboxMessage } from '../../functions/domain/ports/outbox.js';
import { newAsset, rejectionOf, type AssetStoreUnderTest, type MakeAssetStore } from './asset-documents.js';

const API = { writer: 'api', actor: 'editor@example.com' } as const;

function messageFor(id: string, createdAt: string) {
  return (written: { id: string }): OutboxMessage[] => [
    { id, topic: 'album-art-jobs', data: { assetId: written.id, nested: { list: [1, 'two'] } }, attributes: { jobId: id }, createdAt },
  ];
}

export function describeOutboxStoreContract(name: string, make: MakeAssetStore): void {
  describe(`OutboxStore contract: ${name}`, function () {
    this.timeout(30_000);
    let store: AssetStoreUnderTest;
    beforeEach(async () => {
      store = await make();
    });

    it('holds the messages a write committed, oldest first, only those older than the bound, at most the limit', async () => {
      const { key, build } = newAsset();
      const created = await store.writes.create(key, build, API, messageFor('job-2', '2025-01-02T00:00:00.000Z'));
      await store.writes.update(created.id, (current) => Promise.resolve(current.document), API, messageFor('job-1', '2025-01-01T00:00:00.000Z'));
      await store.writes.create(key, build, API, messageFor('job-3', '2025-01-03T00:00:00.000Z'));
      const older = await store.outbox.olderThan('2025-01-03T00:00:00.000Z', 10);
      expect(older.map((message) => message.id)).to.deep.equal(['job-1', 'job-2']);
      expect(older[1]).to.deep.equal(messageFor('job-2', '2025-01-02T00:00:00.000Z')(created)[0]);
      expect((await store.outbox.olderThan('2025-02-01T00:00:00.000Z', 2)).map((message) => message.id)).to.deep.equal(['job-1', 'job-2']);
    });

    it('commits no message for a write that failed; a removed message is gone, removing an unknown one is fine', async () => {
      const { key, build } = newAsset();
      const created = await store.writes.create(key, build, API, messageFor('job-1', '2025-01-01T00:00:00.000Z'));
      const refused = rejectionOf(
        store.writes.update(
          created.id,
          () => {
            throw new PreconditionFailedError('stale');
          },
          API,
          messageFor('job-2', '2025-01-01T00:00:00.000Z'),
        ),
      );
      expect(await refused).to.be.instanceOf(PreconditionFailedError);
      expect((await store.outbox.olderThan('2026-01-01T00:00:00.000Z', 10)).map((message) => message.id)).to.deep.equal(['job-1']);
      await store.outbox.remove('job-1');
      await store.outbox.remove('never-written');
      expect(await store.outbox.olderThan('2026-01-01T00:00:00.000Z', 10)).to.deep.equal([]);
    });
  });
}
