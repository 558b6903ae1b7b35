import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

describe('operations configuration', () => {
  const local = { DEPLOY_ENV: 'local', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1' };

  it('keeps only explicitly set FLAG_<NAME> variables as environment overrides', () => {
    const config = loadConfig({ ...local, FLAG_ALBUM_ART_PIPELINE: 'off' });
    expect(config.flagEnvOverrides).to.deep.equal({ ALBUM_ART_PIPELINE: false });
  });

  it('defaults the flag cache to 10 s and refuses more than 30 s', () => {
    expect(loadConfig(local).flags).to.deep.equal({ cacheTtlMs: 10_000, document: 'config/flags' });
    expect(() => loadConfig({ ...local, FLAGS_CACHE_TTL_MS: '60000' })).to.throw(ConfigError, /FLAGS_CACHE_TTL_MS/);
    expect(() => loadConfig({ ...local, FLAGS_DOCUMENT: 'config' })).to.throw(ConfigError, /FLAGS_DOCUMENT/);
  });

  it('validates the metrics settings', () => {
    expect(loadConfig(local).metrics).to.deep.equal({ aggregates: true, collection: 'ops_metrics', flushMs: 10_000, shards: 10 });
    expect(() => loadConfig({ ...local, METRICS_SHARDS: '0' })).to.throw(ConfigError, /METRICS_SHARDS/);
  });
});
