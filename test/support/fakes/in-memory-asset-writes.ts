/** AssetWrites over the in-memory assets; every write tells the write listener once it has finished, as the Firestore adapter does. */
import { isStorableDocumentId } from '../../../functions/domain/asset-id.js';
import { ConflictError, NotFoundError } from '../../../functions/domain/errors.js';
import type { HistoryContext } from '../../../functions/domain/history-entry.js';
import type { AssetWriteListener, AssetWrites, OutboxWrites, SequenceAllocator, SoftDeleteRequest } from '../../../functions/domain/ports/asset-writes.js';
import type { DeletedAsset } from '../../../functions/domain/ports/deleted-assets.js';
import { registryFieldsOf, type StoredAsset, type StoredAssetDocument } from '../../../functions/domain/stored-asset.js';
import { compareStrings, stored } from './document-order.js';
import { autoId, matches, toDeletedAsset, toStoredAsset, type AssetState, type Data, type DeletedRecord, type Write } from './in-memory-asset-state.js';

export class InMemoryAssetWrites implements AssetWrites {
  constructor(
    private readonly store: AssetState,
    private readonly onWrite?: AssetWriteListener,
  ) {}

  /** A write of the store that the listener hears once it has finished, whatever its outcome. */
  private async writing<T>(work: (write: Write) => Promise<T> | T): Promise<T> {
    try {
      return await this.store.write(work);
    } finally {
      this.onWrite?.();
    }
  }

  create(sequenceKey: string, build: (sequence: number) => StoredAssetDocument, history: HistoryContext, outbox?: OutboxWrites): Promise<StoredAsset> {
    return this.writing((write) => {
      const sequence = write.nextSequence(sequenceKey);
      const id = autoId();
      const document = build(sequence);
      const data = stored(document) as Data;
      write.state.assets.set(id, data);
      write.record(id, { after: data }, history);
      write.addOutbox({ id, document }, outbox);
      return { id, document };
    });
  }

  update(
    id: string,
    change: (current: StoredAsset, allocate: SequenceAllocator) => Promise<StoredAssetDocument>,
    history: HistoryContext,
    outbox?: OutboxWrites,
  ): Promise<StoredAsset> {
    return this.writing(async (write) => {
      const before = isStorableDocumentId(id) ? write.state.assets.get(id) : undefined;
      if (!before) throw new NotFoundError(`Asset ${id} does not exist`);
      const document = await change(toStoredAsset(id, before), (key) => Promise.resolve(write.nextSequence(key)));
      const data = stored(document) as Data;
      write.state.assets.set(id, data);
      write.record(id, { before, after: data }, history);
      write.addOutbox({ id, document }, outbox);
      return { id, document };
    });
  }

  delete(id: string, history: HistoryContext): Promise<void> {
    return this.writing((write) => {
      const before = write.state.assets.get(id);
      if (!before) throw new NotFoundError(`Asset ${id} does not exist`);
      write.state.assets.delete(id);
      write.record(id, { before }, history);
    });
  }

  softDelete(id: string, request: SoftDeleteRequest): Promise<DeletedAsset> {
    return this.writing((write) => {
      const { assets } = write.state;
      const data = isStorableDocumentId(id) ? assets.get(id) : undefined;
      if (!data) throw new NotFoundError(`Asset ${id} does not exist`);
      const current = toStoredAsset(id, data);
      request.check(current);
      const hfn = registryFieldsOf(current.document)?.hfn ?? current.document.name;
      const composites = [...assets.keys()]
        .filter((other) => other !== id)
        .filter((other) => ['components', '_sys.components'].some((field) => matches(assets.get(other)!, { field, op: 'array-contains', value: hfn })))
        .sort(compareStrings);
      if (composites.length > 0 && !request.force) {
        throw new ConflictError(
          `${hfn} is a component of ${composites.length} composite(s); delete those first (an admin may force it with ?force=true)`,
          composites.map((other) => ({ path: 'composites', issue: `${String(assets.get(other)!['name'])} (id ${other}) names ${hfn}` })),
        );
      }
      this.reserveSequence(write, current.document);
      const history: HistoryContext = { writer: 'delete', actor: request.deletedBy };
      for (const other of composites) {
        const composite = assets.get(other)!;
        const deletedComponents = [...new Set([...((composite['deletedComponents'] as string[] | undefined) ?? []), hfn])];
        assets.set(other, { ...composite, deletedComponents });
        write.record(other, { before: composite, changedFields: ['deletedComponents'] }, history, request.now);
      }
      const record: DeletedRecord = {
        asset: data,
        deletedBy: request.deletedBy,
        deletedAt: request.now.toISOString(),
        purgeAt: request.purgeAt.toISOString(),
        forcedComposites: composites,
      };
      if (request.reason !== undefined) record.reason = request.reason;
      write.state.deleted.set(id, record);
      assets.delete(id);
      write.record(id, { before: data }, history, request.now);
      return toDeletedAsset(id, record);
    });
  }

  /** A deleted asset's number is never given out again: a path without a counter gets one now. */
  private reserveSequence(write: Write, document: StoredAssetDocument): void {
    const match = /^([A-Z0-9]+\.[A-Z0-9]+\.[A-Z0-9]+)\.(\d+)/i.exec(registryFieldsOf(document)?.hfn ?? document.name);
    if (!match) return;
    const sequenceKey = registryFieldsOf(document)?.sequenceKey ?? match[1]!;
    const { last, counted } = write.lastSequence(sequenceKey);
    if (!counted) write.state.sequences.set(sequenceKey, Math.max(last, Number(match[2])));
  }

  restore(id: string, actor: string, now: Date): Promise<StoredAsset> {
    return this.writing((write) => {
      const { assets, deleted } = write.state;
      const record = isStorableDocumentId(id) ? deleted.get(id) : undefined;
      if (!record) throw new NotFoundError(`No deleted asset ${id} (never deleted, already restored, or purged)`);
      if (Date.parse(record.purgeAt) <= now.getTime())
        throw new NotFoundError(`Deleted asset ${id} is past its retention (${record.purgeAt}) and is being purged`);
      if (assets.has(id)) throw new ConflictError(`An asset with id ${id} exists again; it cannot be restored over it`);
      const restored = toDeletedAsset(id, record).asset;
      const hfn = registryFieldsOf(restored.document)?.hfn ?? restored.document.name;
      const history: HistoryContext = { writer: 'restore', actor };
      assets.set(id, record.asset);
      deleted.delete(id);
      write.record(id, { after: record.asset }, history, now);
      for (const other of record.forcedComposites) {
        const composite = assets.get(other);
        if (!composite) continue;
        const remaining = ((composite['deletedComponents'] as string[] | undefined) ?? []).filter((name) => name !== hfn);
        const next: Data = { ...composite, deletedComponents: remaining };
        if (remaining.length === 0) delete next['deletedComponents'];
        assets.set(other, next);
        write.record(other, { before: composite, changedFields: ['deletedComponents'] }, history, now);
      }
      return restored;
    });
  }
}
