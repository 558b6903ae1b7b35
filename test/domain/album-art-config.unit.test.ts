import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

describe('album-art configuration', () => {
  const local = { DEPLOY_ENV: 'local', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1' };
  const production = { DEPLOY_ENV: 'production', K_SERVICE: 'processAlbumArt' };

  it("defaults to Apple's artwork hosts, 10 MiB, 40 megapixels, 20 requests a minute, and a required scan in production", () => {
    const settings = loadConfig(production).albumArt;
    expect(settings.allowedHosts).to.deep.equal(['*.mzstatic.com']);
    expect(settings.loopbackSources).to.deep.equal([]);
    expect(settings.maxBytes).to.equal(10 * 1024 * 1024);
    expect(settings.maxPixels).to.equal(40_000_000);
    expect(settings.rateLimitPerMinute).to.equal(20);
    expect(settings.maxAttempts).to.equal(5);
    expect(settings.scan).to.equal('required');
    expect(loadConfig(production).albumArtStore.bucket).to.equal('nna-registry-album-art');
    expect(settings.topic).to.equal('album-art-jobs');
    expect(settings.deadLetterTopic).to.equal('album-art-jobs-dead-letter');
  });

  it('refuses to start in production with loopback sources allowed', () => {
    expect(() => loadConfig({ ...production, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: 'on' })).to.throw(ConfigError, /ALBUM_ART_ALLOW_LOOPBACK_SOURCES/);
    expect(() => loadConfig({ ...production, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2' })).to.throw(ConfigError, /ALBUM_ART_ALLOW_LOOPBACK_SOURCES/);
    expect(loadConfig({ ...production, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: 'off' }).albumArt.loopbackSources).to.deep.equal([]);
  });

  it('allows loopback sources for tests on this machine only', () => {
    expect(loadConfig({ ...local, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: 'on' }).albumArt.loopbackSources).to.equal('all');
    expect(loadConfig({ ...local, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: '127.0.0.2' }).albumArt.loopbackSources).to.deep.equal(['127.0.0.2']);
    expect(() => loadConfig({ ...local, ALBUM_ART_ALLOW_LOOPBACK_SOURCES: 'localhost' })).to.throw(ConfigError, /not an IP address/);
  });

  it('keeps max delivery attempts within Pub/Sub dead-lettering bounds (5..100)', () => {
    expect(() => loadConfig({ ...production, ALBUM_ART_MAX_ATTEMPTS: '4' })).to.throw(ConfigError, /ALBUM_ART_MAX_ATTEMPTS/);
    expect(() => loadConfig({ ...production, ALBUM_ART_MAX_ATTEMPTS: '101' })).to.throw(ConfigError, /ALBUM_ART_MAX_ATTEMPTS/);
    expect(() => loadConfig({ ...production, ALBUM_ART_TEST_MAX_ATTEMPTS: '2' })).to.throw(ConfigError, /ALBUM_ART_TEST_MAX_ATTEMPTS/);
  });

  it('refuses a malformed clamd address, naming the variable', () => {
    expect(() => loadConfig({ ...local, CLAMD_ADDRESS: 'clamd:3310' })).to.throw(ConfigError, /CLAMD_ADDRESS/);
    expect(loadConfig({ ...local, CLAMD_ADDRESS: 'unix:/run/clamav/clamd.ctl' }).albumArt.clamdAddress).to.equal('unix:/run/clamav/clamd.ctl');
  });
});
