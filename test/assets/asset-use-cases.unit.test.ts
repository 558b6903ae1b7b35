/**
 * The asset use cases over the in-memory fakes (held to the Firestore adapters' contracts): the
 * rules of functions/assets/ themselves, in milliseconds. The HTTP suites (test/api/) cover the
 * same paths end to end against the emulator.
 */
import { expect } from 'chai';
import { originalName, OutboxRelay } from '../../functions/album-art/index.js';
import type { DeleteRequest } from '../../functions/assets/asset-deletion.js';
import type { AssetUseCases } from '../../functions/assets/asset-use-cases.js';
import { ConflictError, FeatureDisabledError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../functions/domain/errors.js';
import { blobNameOfUrl, type BlobStore } from '../../functions/domain/ports/blob-store.js';
import { listAssetsQuerySchema } from '../../functions/domain/schemas/asset-query.js';
import { createLogger } from '../../functions/platform/logger.js';
import { registryFieldsOf, type StoredAsset } from '../../functions/domain/stored-asset.js';
import { starPayload } from '../support/asset-fixtures.js';
import { ALBUM_ART_TOPIC, assetUseCasesOverFakes, RETENTION_DAYS, type UseCaseWorld } from '../support/fakes/asset-use-cases-over-fakes.js';
import { pngImage } from '../support/sample-uploads.js';

const EDITOR = 'editor@example.com';
const DAY_MS = 24 * 60 * 60 * 1000;
const SONG = { layer: 'G', category: 'Pop', subcategory: 'Swift_Inspired', description: 'A song', source: 'ReViz' };
const anyVersion = () => undefined;

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function issuesOf(error: unknown): Record<string, string> {
  expect(error).to.be.instanceOf(ValidationError);
  return Object.fromEntries((error as ValidationError).details.map((detail) => [detail.path, detail.issue]));
}

describe('asset use cases over the in-memory fakes', () => {
  let world: UseCaseWorld;
  let service: AssetUseCases;
  beforeEach(() => {
    world = assetUseCasesOverFakes();
    service = world.assets;
  });
  afterEach(() => world.close());

  const total = async () => (await world.store.queries.list({ sortBy: 'createdAt', sortOrder: 'desc', offset: 0, limit: 1 })).total;
  const create = (overrides: Record<string, unknown> = {}) => service.creation.create(starPayload(overrides), undefined, EDITOR);
  const deleteRequest = (overrides: Partial<DeleteRequest> = {}) => ({
    check: anyVersion,
    actor: EDITOR,
    isAdmin: false,
    force: false,
    purge: false,
    ...overrides,
  });

  describe('create', () => {
    it('names the asset by its path and number, records who made it and how full the path is', async () => {
      const first = await create();
      const second = await create({ description: 'second' });
      expect([first.document.name, second.document.name]).to.deep.equal(['S.POP.BAS.001', 'S.POP.BAS.002']);
      expect(first.document).to.include({ layer: 'S', categoryCode: 'POP', subcategoryCode: 'BAS', createdBy: EDITOR, createdAt: world.now().toISOString() });
      expect(world.metrics.observed).to.deep.equal([
        { name: 'sequence_fill', value: 1, labels: { path: 'S.POP.BAS' } },
        { name: 'sequence_fill', value: 2, labels: { path: 'S.POP.BAS' } },
      ]);
      expect((await service.lookup.getByAddress('S.POP.BAS.002')).id).to.equal(second.id);
    });

    it('reports every invalid field in one ValidationError and writes nothing', async () => {
      const error = await rejectionOf(create({ subcategory: undefined, tags: 'not-a-list', status: 'sideways' }));
      expect(Object.keys(issuesOf(error)).sort()).to.deep.equal(['status', 'subcategory', 'tags']);
      expect(await total()).to.equal(0);
      expect(world.metrics.observed).to.deep.equal([]);
    });

    it('refuses the Enhanced fields while CREATOR_DESCRIPTION is off, and takes them when it is on', async () => {
      world.flags.set('CREATOR_DESCRIPTION', false);
      expect(await rejectionOf(create({ creatorDescription: 'by hand' }))).to.be.instanceOf(FeatureDisabledError);
      expect(await total()).to.equal(0);
      world.flags.set('CREATOR_DESCRIPTION', true);
      expect((await create({ creatorDescription: 'by hand' })).document.creatorDescription).to.equal('by hand');
    });

    it('makes a composite of existing single assets; a missing, deleted or composite component is refused by position', async () => {
      const kept = await create();
      const deleted = await create();
      await service.deletion.delete(deleted.id, deleteRequest());
      const composite = await service.creation.create(
        { ...starPayload(), layer: 'C', category: 'RMX', subcategory: 'POP', components: ['S.POP.BAS.001'] },
        undefined,
        EDITOR,
      );
      expect(composite.document.name).to.equal('C.RMX.POP.001:S.001.001.001');
      expect(composite.document.nna_address).to.equal('C.001.001.001');
      expect(composite.document.components).to.deep.equal(['S.001.001.001']);
      expect(composite.document._sys).to.deep.include({ hfn: 'C.RMX.POP.001', mfa: '9.001.001.001', components: ['S.POP.BAS.001'] });
      const refused = await rejectionOf(
        service.creation.create(
          {
            ...starPayload(),
            layer: 'C',
            category: 'RMX',
            subcategory: 'POP',
            components: ['S.POP.BAS.001', 'S.POP.BAS.002', 'S.POP.BAS.099', composite.document.name],
          },
          undefined,
          EDITOR,
        ),
      );
      const issues = issuesOf(refused);
      expect(issues).to.not.have.property('components.0');
      expect(issues['components.1']).to.match(/is deleted; restore it first/);
      expect(issues['components.2']).to.match(/does not exist/);
      expect(issues['components.3']).to.match(/is a composite/);
      expect(kept.id).to.be.a('string');
    });

    it('moves an upload to its organized name once the asset exists, typed by its bytes', async () => {
      const upload = await world.stage(await pngImage(), 'image/png', 'cover.png');
      const created = await service.creation.create(starPayload(), upload, EDITOR);
      const [file] = created.document.files ?? [];
      expect(file).to.include({ filename: 'S.POP.BAS.001.png', contentType: 'image/png', url: world.blobs.publicUrl('S/POP/BAS/S.POP.BAS.001.png') });
      expect(created.document.gcpStorageUrl).to.equal(file!.url);
      expect(await world.blobs.stat('S/POP/BAS/S.POP.BAS.001.png')).to.include({ contentType: 'image/png' });
      expect(await world.blobs.stat(upload.blob.name)).to.equal(undefined);
    });

    it('removes the asset again and the staged file when the file cannot be placed', async () => {
      world.close();
      world = assetUseCasesOverFakes({ blobs: failingMoves });
      const upload = await world.stage(await pngImage(), 'image/png', 'cover.png');
      expect(await rejectionOf(world.assets.creation.create(starPayload(), upload, EDITOR))).to.match(/storage refused the move/);
      expect(await total()).to.equal(0);
      expect(await world.blobs.stat(upload.blob.name)).to.equal(undefined);
    });

    it('refuses an upload whose bytes are not what it claims, naming file, and keeps nothing', async () => {
      const upload = await world.stage(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png', 'cover.png');
      const error = await rejectionOf(service.creation.create(starPayload(), upload, EDITOR));
      expect(issuesOf(error)).to.have.property('file');
      expect(await total()).to.equal(0);
      expect(await world.blobs.stat(upload.blob.name)).to.equal(undefined);
    });
  });

  describe('album-art jobs', () => {
    it('marks a song with a source URL pending, commits the job with it and publishes it after', async () => {
      const song = await service.creation.create({ ...SONG, albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' } }, undefined, EDITOR);
      expect(song.document.albumArt).to.include({ status: 'pending', sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' });
      const jobId = song.document.albumArt!.jobId!;
      expect(world.publisher.published).to.deep.equal([
        {
          topic: ALBUM_ART_TOPIC,
          data: { assetId: song.id, sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg', requestId: jobId },
          attributes: { assetId: song.id, jobId },
        },
      ]);
      // Published, so the outbox no longer holds it.
      expect(await world.store.outbox.olderThan('9999-01-01T00:00:00.000Z', 10)).to.deep.equal([]);
    });

    it('leaves the job in the outbox when Pub/Sub is down, without failing the write, and the redrive publishes it', async () => {
      world.publisher.failing = true;
      const song = await service.creation.create({ ...SONG, albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' } }, undefined, EDITOR);
      const waiting = await world.store.outbox.olderThan('9999-01-01T00:00:00.000Z', 10);
      expect(waiting.map((message) => message.id)).to.deep.equal([song.document.albumArt!.jobId]);
      world.publisher.failing = false;
      const relay = new OutboxRelay(world.store.outbox, world.publisher, createLogger('ERROR'));
      expect(await relay.redrive(60_000, new Date(Date.parse(waiting[0]!.createdAt) + 60_001))).to.equal(1);
      expect(world.publisher.published.map((message) => message.attributes['jobId'])).to.deep.equal([song.document.albumArt!.jobId]);
      expect(await world.store.outbox.olderThan('9999-01-01T00:00:00.000Z', 10)).to.deep.equal([]);
    });

    it('refuses a source URL while ALBUM_ART_PIPELINE is off, writing nothing', async () => {
      world.flags.set('ALBUM_ART_PIPELINE', false);
      const error = await rejectionOf(service.creation.create({ ...SONG, albumArt: { sourceUrl: 'https://is1-ssl.mzstatic.com/a.jpg' } }, undefined, EDITOR));
      expect(error).to.be.instanceOf(FeatureDisabledError);
      expect(await total()).to.equal(0);
      expect(world.publisher.published).to.deep.equal([]);
    });

    it('refuses the album-art route for an asset that is not a song', async () => {
      const star = await create();
      expect(issuesOf(await rejectionOf(service.updates.requestAlbumArt(star.id, 'https://is1-ssl.mzstatic.com/a.jpg', anyVersion, EDITOR)))).to.have.property(
        'id',
      );
      expect(await world.store.outbox.olderThan('9999-01-01T00:00:00.000Z', 10)).to.deep.equal([]);
    });
  });

  describe('update', () => {
    it('moves an asset to another subcategory with the next number there, recording the fill', async () => {
      const asset = await create();
      await service.creation.create(starPayload({ subcategory: 'Pop_Diva_Female_Stars' }), undefined, EDITOR);
      const moved = await service.updates.update(asset.id, { subcategory: 'Pop_Diva_Female_Stars' }, anyVersion, EDITOR);
      expect(moved.document.name).to.equal('S.POP.DIV.002');
      expect(registryFieldsOf(moved.document)).to.include({ sequence: 2, sequenceKey: 'S.POP.DIV' });
      expect(world.metrics.observed.at(-1)).to.deep.equal({ name: 'sequence_fill', value: 2, labels: { path: 'S.POP.DIV' } });
    });

    it('refuses a move between the composite layer and the others, and an update naming no field', async () => {
      const asset = await create();
      expect(
        issuesOf(await rejectionOf(service.updates.update(asset.id, { layer: 'C', category: 'RMX', subcategory: 'POP' }, anyVersion, EDITOR))),
      ).to.have.property('layer');
      expect(issuesOf(await rejectionOf(service.updates.update(asset.id, {}, anyVersion, EDITOR)))).to.have.property('(body)');
      expect((await service.lookup.get(asset.id)).document).to.deep.equal(asStoredDocument(asset));
    });

    it('runs the If-Match check on the current asset inside the write: a stale one changes nothing', async () => {
      const asset = await create();
      const stale = () => {
        throw new PreconditionFailedError('The asset changed since it was read');
      };
      expect(await rejectionOf(service.updates.update(asset.id, { description: 'new' }, stale, EDITOR))).to.be.instanceOf(PreconditionFailedError);
      expect((await service.lookup.get(asset.id)).document.description).to.equal('Asset reference Star asset');
      expect((await service.history.page(asset.id, { limit: 10 })).items).to.have.length(1);
    });
  });

  describe('delete, restore and purge', () => {
    it('soft-deletes for the retention and restores exactly; only an admin may force or purge', async () => {
      const asset = await create();
      expect(await rejectionOf(service.deletion.delete(asset.id, deleteRequest({ purge: true })))).to.be.instanceOf(ForbiddenError);
      expect(await rejectionOf(service.deletion.delete(asset.id, deleteRequest({ force: true })))).to.be.instanceOf(ForbiddenError);
      const deleted = await service.deletion.delete(asset.id, deleteRequest({ reason: 'duplicate' }));
      expect(deleted).to.deep.equal({ purgeAt: new Date(world.now().getTime() + RETENTION_DAYS * DAY_MS).toISOString(), purged: false });
      expect(await rejectionOf(service.lookup.get(asset.id))).to.be.instanceOf(NotFoundError);
      expect((await service.deletion.listDeleted(10)).items.map((item) => [item.asset.id, item.reason])).to.deep.equal([[asset.id, 'duplicate']]);
      expect(await service.deletion.restore(asset.id, 'admin@example.com')).to.deep.equal(await world.store.queries.get(asset.id));
      expect((await service.lookup.get(asset.id)).document).to.deep.equal(asStoredDocument(asset));
    });

    it('purges at once for an admin, the asset and its file, live or already deleted', async () => {
      const upload = await world.stage(await pngImage(), 'image/png', 'cover.png');
      const asset = await service.creation.create(starPayload(), upload, EDITOR);
      const fileName = blobNameOfUrl(world.blobs, asset.document.files![0]!.url)!;
      expect(await service.deletion.delete(asset.id, deleteRequest({ isAdmin: true, purge: true }))).to.deep.equal({ purged: true });
      expect(await world.blobs.stat(fileName)).to.equal(undefined);
      expect(await world.store.deleted.getDeleted(asset.id)).to.equal(undefined);
      const other = await create();
      await service.deletion.delete(other.id, deleteRequest());
      expect(await service.deletion.delete(other.id, deleteRequest({ isAdmin: true, purge: true }))).to.deep.equal({ purged: true });
      expect(await rejectionOf(service.deletion.delete(other.id, deleteRequest({ isAdmin: true, purge: true })))).to.be.instanceOf(NotFoundError);
    });

    it('sweeps only the deleted assets past their retention; restoring one after that is NotFoundError', async () => {
      const early = await create();
      await service.deletion.delete(early.id, deleteRequest());
      world.advance(10 * DAY_MS);
      const late = await create();
      await service.deletion.delete(late.id, deleteRequest());
      world.advance((RETENTION_DAYS - 10) * DAY_MS);
      expect(await service.deletion.purgeExpired(10)).to.equal(1);
      expect(await rejectionOf(service.deletion.restore(early.id, 'admin@example.com'))).to.be.instanceOf(NotFoundError);
      expect((await service.deletion.restore(late.id, 'admin@example.com')).id).to.equal(late.id);
    });

    it('removes album art with a purge only when no other live or deleted asset shares it', async () => {
      const art = { sha256: 'a'.repeat(64), status: 'ready' };
      const original = originalName(art.sha256);
      await world.albumArtBlobs.write(original, Buffer.from('jpeg bytes'), { contentType: 'image/jpeg' });
      await world.store.seed('song-1', { ...songDocument('G.POP.TSW.001'), albumArt: art });
      await world.store.seed('song-2', { ...songDocument('G.POP.TSW.002'), albumArt: art });
      await service.deletion.delete('song-1', deleteRequest({ isAdmin: true, purge: true }));
      expect(await world.albumArtBlobs.stat(original)).to.not.equal(undefined);
      await service.deletion.delete('song-2', deleteRequest({ isAdmin: true, purge: true }));
      expect(await world.albumArtBlobs.stat(original)).to.equal(undefined);
    });

    it('refuses to delete a component a live composite names unless an admin forces it', async () => {
      await create();
      const composite = await service.creation.create(
        { ...starPayload(), layer: 'C', category: 'RMX', subcategory: 'POP', components: ['S.POP.BAS.001'] },
        undefined,
        EDITOR,
      );
      const component = await service.lookup.getByAddress('S.POP.BAS.001');
      expect(await rejectionOf(service.deletion.delete(component.id, deleteRequest()))).to.be.instanceOf(ConflictError);
      await service.deletion.delete(component.id, deleteRequest({ isAdmin: true, force: true }));
      expect((await service.lookup.get(composite.id)).document.deletedComponents).to.deep.equal(['S.POP.BAS.001']);
    });
  });

  describe('history and revert', () => {
    it('reverts to a version through the update path, recorded as a revert; the creation has nothing to revert to', async () => {
      const asset = await create();
      world.advance(1000);
      await service.updates.update(asset.id, { description: 'changed', tags: ['other'] }, anyVersion, EDITOR);
      world.advance(1000);
      const [update, creation] = (await service.history.page(asset.id, { limit: 10 })).items;
      expect(await rejectionOf(service.history.revert(asset.id, creation!.version, anyVersion, EDITOR))).to.be.instanceOf(ConflictError);
      const reverted = await service.history.revert(asset.id, update!.version, anyVersion, 'admin@example.com');
      expect(reverted.document).to.include({ description: 'Asset reference Star asset' });
      expect(reverted.document.tags).to.deep.equal(['general']);
      expect((await service.history.page(asset.id, { limit: 1 })).items[0]).to.include({ writer: 'revert', actor: 'admin@example.com' });
    });

    it('shows the history of live assets only', async () => {
      const asset = await create();
      await service.deletion.delete(asset.id, deleteRequest());
      expect(await rejectionOf(service.history.page(asset.id, { limit: 10 }))).to.be.instanceOf(NotFoundError);
    });
  });

  describe('listing and search', () => {
    const list = (query: Record<string, unknown>) => service.listing.list(listAssetsQuerySchema.parse(query));

    it('filters by names or codes, turned into the codes the repository filters on', async () => {
      await create();
      await create({ subcategory: 'Pop_Diva_Female_Stars' });
      await create({ category: 'Rock', subcategory: 'Base' });
      const names = async (query: Record<string, unknown>) => (await list(query)).items.map((item: StoredAsset) => item.document.name).sort();
      expect(await names({ layer: 'Stars', category: 'Pop' })).to.deep.equal(['S.POP.BAS.001', 'S.POP.DIV.001']);
      expect(await names({ layer: 'S', category: 'POP', subcategory: 'DIV' })).to.deep.equal(['S.POP.DIV.001']);
      expect(issuesOf(await rejectionOf(list({ subcategory: 'BAS' })))).to.have.property('subcategory');
      expect(issuesOf(await rejectionOf(list({ layer: 'S', subcategory: 'BAS' })))).to.have.property('subcategory');
      expect(issuesOf(await rejectionOf(list({ layer: 'Nope' })))).to.have.property('layer');
    });

    it('searches words over the candidates and finds an asset by its HFN typed in the box', async () => {
      await create({ description: 'Bohemian rhapsody cover' });
      await create({ description: 'Something else' });
      const found = await list({ search: 'bohem' });
      expect(found.items.map((item: StoredAsset) => item.document.name)).to.deep.equal(['S.POP.BAS.001']);
      expect((await list({ search: 'S.POP.BAS.002' })).items.map((item: StoredAsset) => item.document.name)).to.deep.equal(['S.POP.BAS.002']);
    });

    it('pages a listing with the cursor it hands out, without overlap', async () => {
      for (let index = 0; index < 5; index++) {
        await create();
        world.advance(1000);
      }
      const seen: string[] = [];
      let page = await list({ limit: 2 });
      seen.push(...page.items.map((item: StoredAsset) => item.document.name));
      while (page.nextCursor) {
        page = await list({ limit: 2, cursor: page.nextCursor });
        seen.push(...page.items.map((item: StoredAsset) => item.document.name));
      }
      expect(seen).to.deep.equal(['S.POP.BAS.005', 'S.POP.BAS.004', 'S.POP.BAS.003', 'S.POP.BAS.002', 'S.POP.BAS.001']);
    });
  });
});

/** A song as the registry would have stored it, for album-art sharing. */
function songDocument(name: string): Record<string, unknown> {
  const sequence = Number(name.split('.')[3]);
  return {
    name,
    nna_address: `4.001.001.${String(sequence).padStart(3, '0')}`,
    layer: 'G',
    category: 'Pop',
    subcategory: 'Swift_Inspired',
    categoryCode: 'POP',
    subcategoryCode: 'TSW',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    _sys: { sequence, sequenceKey: 'G.POP.TSW', hfn: name, mfa: `4.001.001.${String(sequence).padStart(3, '0')}` },
  };
}

/** The document as the store keeps it (undefined properties not written). */
function asStoredDocument(asset: StoredAsset): unknown {
  return JSON.parse(JSON.stringify(asset.document));
}

/** A blob store whose moves fail: the final placement of an upload cannot happen. */
function failingMoves(store: BlobStore): BlobStore {
  return {
    write: (...args) => store.write(...args),
    read: (name) => store.read(name),
    readHead: (name, bytes) => store.readHead(name, bytes),
    stat: (name) => store.stat(name),
    move: () => Promise.reject(new Error('storage refused the move')),
    delete: (name) => store.delete(name),
    publicUrl: (name) => store.publicUrl(name),
  };
}
