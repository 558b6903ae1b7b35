import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

describe('variant configuration', () => {
  const local = { DEPLOY_ENV: 'local', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1' };

  it('defaults the album-art bucket, its directory, its public base and the crop', () => {
    const config = loadConfig({ ...local, BLOB_DIR: '/tmp/blobs/' });
    expect(config.albumArtStore).to.deep.equal({
      bucket: 'nna-registry-album-art',
      directory: '/tmp/blobs/album-art-bucket',
      publicBaseUrl: 'https://storage.googleapis.com/nna-registry-album-art',
    });
    expect(config.variants.crop).to.equal('cover-centre');
    expect(config.storageEventsUrl).to.equal(undefined);
  });

  it('refuses an unknown crop strategy, naming the variable', () => {
    expect(() => loadConfig({ ...local, VARIANT_CROP: 'stretch' })).to.throw(ConfigError, /VARIANT_CROP/);
  });

  it('refuses the local storage-event stand-in outside local and test', () => {
    expect(() => loadConfig({ DEPLOY_ENV: 'production', STORAGE_EVENTS_URL: 'http://127.0.0.1:9/' })).to.throw(ConfigError, /STORAGE_EVENTS_URL/);
    expect(loadConfig({ ...local, STORAGE_EVENTS_URL: 'http://127.0.0.1:9/' }).storageEventsUrl).to.equal('http://127.0.0.1:9/');
  });
});
