import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../functions/platform/config.js';

describe('configuration', () => {
  const local = { DEPLOY_ENV: 'local', FIRESTORE_EMULATOR_HOST: '127.0.0.1:1' };

  it('defaults to the dev verifier and the filesystem blob store on this machine', () => {
    const config = loadConfig(local);
    expect(config.auth.mode).to.equal('dev');
    expect(config.blobStore.kind).to.equal('fs');
    expect(config.maxRequestBytes).to.equal(30 * 1024 * 1024);
  });

  it('refuses the dev verifier in production', () => {
    expect(() => loadConfig({ DEPLOY_ENV: 'production', AUTH_MODE: 'dev' })).to.throw(ConfigError, /AUTH_MODE=dev/);
  });

  it('uses Google tokens and GCS in production by default', () => {
    const config = loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api' });
    expect(config.auth.mode).to.equal('google');
    expect(config.blobStore.kind).to.equal('gcs');
  });

  it('refuses a local DEPLOY_ENV on Cloud Functions', () => {
    expect(() => loadConfig({ ...local, K_SERVICE: 'api' })).to.throw(ConfigError, /DEPLOY_ENV=local/);
  });

  it('refuses a body limit at or above the platform cap, naming the variable', () => {
    expect(() => loadConfig({ ...local, MAX_REQUEST_BYTES: String(32 * 1024 * 1024) })).to.throw(ConfigError, /MAX_REQUEST_BYTES/);
  });

  it('lets history be switched off on this machine only, and defaults the data-safety settings', () => {
    expect(loadConfig({ ...local, HISTORY_ENABLED: 'false' }).dataSafety.historyEnabled).to.equal(false);
    expect(() => loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api', HISTORY_ENABLED: 'false' })).to.throw(ConfigError, /HISTORY_ENABLED=false/);
    expect(loadConfig(local).dataSafety).to.deep.equal({
      deletedRetentionDays: 30,
      historyRetentionDays: 365,
      historyEnabled: true,
      idempotencyTtlMs: 24 * 3600 * 1000,
      idempotencyWaitMs: 15_000,
    });
  });

  it('refuses an unknown boolean spelling', () => {
    expect(() => loadConfig({ ...local, PUBLIC_READS: 'maybe' })).to.throw(ConfigError, /PUBLIC_READS/);
  });
});
