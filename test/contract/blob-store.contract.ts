/**
 * What the album-art processor, the variant generator and the API's uploads rely on from a
 * BlobStore: objects with their content type and metadata, create-only writes, reads of the head,
 * moves that change the served headers, and deletes that do not mind a missing object. Run against
 * the fs blob store and the in-memory fake (the GCS adapter needs Cloud Storage, which does not run here).
 */
import { expect } from 'chai';
import { Readable } from 'node:stream';
import { BlobExistsError, blobNameOfUrl, type BlobStore } from '../../functions/domain/ports/blob-store.js';
import { rejectionOf } from './asset-documents.js';

export type MakeBlobStore = () => Promise<BlobStore>;

const JPEG = { contentType: 'image/jpeg' };

export function describeBlobStoreContract(name: string, make: MakeBlobStore): void {
  describe(`BlobStore contract: ${name}`, function () {
    this.timeout(30_000);
    let store: BlobStore;
    beforeEach(async () => {
      store = await make();
    });

    it('stores an object with its content type and metadata, at its public URL; a missing one is undefined', async () => {
      const info = await store.write('album-art/originals/abc', Buffer.from('image bytes'), { ...JPEG, metadata: { width: '3', height: '2' } });
      expect(info).to.deep.equal({
        name: 'album-art/originals/abc',
        size: 11,
        contentType: 'image/jpeg',
        metadata: { width: '3', height: '2' },
        url: store.publicUrl('album-art/originals/abc'),
      });
      expect(await store.stat('album-art/originals/abc')).to.deep.equal(info);
      expect((await store.read('album-art/originals/abc'))!.toString()).to.equal('image bytes');
      expect(await store.read('album-art/originals/none')).to.equal(undefined);
      expect(await store.stat('album-art/originals/none')).to.equal(undefined);
      expect(await store.readHead('album-art/originals/none', 4)).to.equal(undefined);
    });

    it('writes a stream whole, and reads at most the head asked for', async () => {
      await store.write('uploads/a b/file', Readable.from([Buffer.from('first '), Buffer.from('second')]), { contentType: 'text/plain' });
      expect((await store.read('uploads/a b/file'))!.toString()).to.equal('first second');
      expect((await store.readHead('uploads/a b/file', 5))!.toString()).to.equal('first');
      expect((await store.readHead('uploads/a b/file', 100))!.toString()).to.equal('first second');
      expect(blobNameOfUrl(store, store.publicUrl('uploads/a b/file'))).to.equal('uploads/a b/file');
    });

    it('refuses a create-only write over an existing name, keeping the object; an ordinary write replaces it', async () => {
      await store.write('variants/x/manifest.json', Buffer.from('one'), { contentType: 'application/json', ifNotExists: true });
      const refused = await rejectionOf(store.write('variants/x/manifest.json', Buffer.from('two'), { contentType: 'application/json', ifNotExists: true }));
      expect(refused).to.be.instanceOf(BlobExistsError);
      expect((await store.read('variants/x/manifest.json'))!.toString()).to.equal('one');
      await store.write('variants/x/manifest.json', Buffer.from('three'), { contentType: 'application/json' });
      expect((await store.read('variants/x/manifest.json'))!.toString()).to.equal('three');
    });

    it('moves an object to a new name, served with the headers given, its metadata kept', async () => {
      await store.write('staging/upload', Buffer.from('%PDF-1.7'), { contentType: 'application/octet-stream', metadata: { assetId: 'a1' } });
      const moved = await store.move('staging/upload', 'assets/a1/file.pdf', { contentType: 'application/pdf', contentDisposition: 'attachment' });
      expect(moved).to.deep.include({ name: 'assets/a1/file.pdf', size: 8, contentType: 'application/pdf', metadata: { assetId: 'a1' } });
      expect(await store.stat('staging/upload')).to.equal(undefined);
      expect((await store.read('assets/a1/file.pdf'))!.toString()).to.equal('%PDF-1.7');
      expect(await rejectionOf(store.move('staging/none', 'assets/none'))).to.be.instanceOf(Error);
    });

    it('deletes an object, and a missing one without complaint', async () => {
      await store.write('album-art/variants/abc/150.jpg', Buffer.from('small'), JPEG);
      await store.delete('album-art/variants/abc/150.jpg');
      expect(await store.read('album-art/variants/abc/150.jpg')).to.equal(undefined);
      await store.delete('album-art/variants/abc/150.jpg');
    });

    it('refuses names that are not paths of safe segments', async () => {
      for (const unsafe of ['../outside', 'a//b', '/rooted', '']) {
        expect(await rejectionOf(store.write(unsafe, Buffer.from('x'), JPEG)), unsafe).to.be.instanceOf(Error);
        expect(await rejectionOf(store.read(unsafe)), unsafe).to.be.instanceOf(Error);
      }
    });
  });
}
