/**
 * What the album-art processor and the variant generator rely on from an AlbumArtStore: decisions on
 * the current album art, written with a history entry and nothing else of the asset touched, no
 * write lost between concurrent writers, the status machine applied by `change`, and the assets
 * waiting for an image's variants. Run against the Firestore album-art store and the fake.
 */
import { expect } from 'chai';
import type { AlbumArtStore } from '../../functions/album-art/index.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';

interface AlbumArtStoreUnderTest {
  store: AlbumArtStore;
  put(assetId: string, document: Record<string, unknown>): Promise<void>;
  stored(assetId: string): Promise<Record<string, unknown> | undefined>;
  historyCount(assetId: string): Promise<number>;
}

export type MakeAlbumArtStore = () => Promise<AlbumArtStoreUnderTest>;

const AT = '2026-01-01T00:00:00.000Z';
const pending = (jobId: string): AlbumArt => ({ source: 'iTunes', sourceUrl: 'https://example.com/cover.jpg', status: 'pending', jobId });

export function describeAlbumArtStoreContract(name: string, make: MakeAlbumArtStore): void {
  describe(`AlbumArtStore contract: ${name}`, function () {
    this.timeout(30_000);
    let under: AlbumArtStoreUnderTest;
    beforeEach(async () => {
      under = await make();
    });

    it('reads null for a missing asset, undefined for one without album art, and the album art as stored', async () => {
      await under.put('bare', { name: 'S.POP.BAS.001' });
      await under.put('art', { name: 'S.POP.BAS.002', albumArt: pending('job-1') });
      expect(await under.store.current('missing')).to.equal(null);
      expect(await under.store.current('bare')).to.equal(undefined);
      expect(await under.store.current('art')).to.deep.equal(pending('job-1'));
    });

    it('writes what a decision holds, with a history entry, leaving the rest of the asset; writes nothing without one', async () => {
      await under.put('art', { name: 'S.POP.BAS.001', description: 'kept', albumArt: pending('job-1') });
      const result = await under.store.update('art', (current) => ({ result: current?.jobId, write: { ...current!, attempts: 1 } }));
      expect(result).to.equal('job-1');
      expect(await under.stored('art')).to.deep.equal({ name: 'S.POP.BAS.001', description: 'kept', albumArt: { ...pending('job-1'), attempts: 1 } });
      expect(await under.historyCount('art')).to.equal(1);
      expect(await under.store.update('art', () => ({ result: 'read only' }))).to.equal('read only');
      expect(await under.historyCount('art')).to.equal(1);
      expect(await under.store.update('missing', () => ({ result: 'never', write: pending('job-2') }))).to.equal(null);
      expect(await under.stored('missing')).to.equal(undefined);
    });

    it('loses no write between concurrent writers: each decides again on what the others wrote', async () => {
      await under.put('art', { name: 'S.POP.BAS.001', albumArt: { ...pending('job-1'), attempts: 0 } });
      const increment = () => under.store.update('art', (current) => ({ result: true, write: { ...current!, attempts: (current!.attempts ?? 0) + 1 } }));
      await Promise.all(Array.from({ length: 5 }, increment));
      expect(await under.store.current('art')).to.have.property('attempts', 5);
      expect(await under.historyCount('art')).to.equal(5);
    });

    it('applies status changes through the status machine, and says when the asset is missing', async () => {
      await under.put('art', { name: 'S.POP.BAS.001', albumArt: pending('job-1') });
      const processing = await under.store.change('art', () => ({ status: 'processing', jobId: 'job-1', at: AT }));
      expect(processing).to.deep.include({ applied: true });
      expect(await under.store.current('art')).to.deep.include({ status: 'processing', statusHistory: [{ status: 'processing', at: AT, jobId: 'job-1' }] });
      expect(await under.store.change('art', () => ({ status: 'pending', jobId: 'job-1', at: AT }))).to.deep.equal({ applied: false, reason: 'backwards' });
      expect(await under.store.change('art', () => ({ status: 'stored', jobId: 'old-job', at: AT }))).to.deep.equal({ applied: false, reason: 'stale-job' });
      expect(await under.store.change('missing', () => ({ status: 'pending', jobId: 'job-1', at: AT }))).to.deep.equal({
        applied: false,
        reason: 'missing-asset',
      });
    });

    it('finds the assets whose album art is stored with an image and waits for its variants', async () => {
      await under.put('waiting', { name: 'S.POP.BAS.001', albumArt: { ...pending('job-1'), status: 'stored', sha256: 'abc' } });
      await under.put('ready', { name: 'S.POP.BAS.002', albumArt: { ...pending('job-2'), status: 'ready', sha256: 'abc' } });
      await under.put('other', { name: 'S.POP.BAS.003', albumArt: { ...pending('job-3'), status: 'stored', sha256: 'def' } });
      expect(await under.store.waitingFor('abc')).to.deep.equal(['waiting']);
      expect(await under.store.waitingFor('none')).to.deep.equal([]);
    });
  });
}
