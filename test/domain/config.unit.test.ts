import { expect } from 'chai';
import { withGrantedRoles } from '../../functions/domain/ports/token-verifier.js';
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

  describe('sign-in and CORS', () => {
    it('gives new registrations the editor role locally and none in production', () => {
      expect(loadConfig(local).auth.registrationRoles).to.deep.equal(['editor']);
      expect(loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api' }).auth.registrationRoles).to.deep.equal([]);
      expect(loadConfig({ ...local, REGISTRATION_ROLES: '' }).auth.registrationRoles).to.deep.equal([]);
      expect(() => loadConfig({ ...local, REGISTRATION_ROLES: 'editor,owner' })).to.throw(ConfigError, /REGISTRATION_ROLES.*owner/);
    });

    it('grants roles to service accounts by email (the scheduled sweep), refusing a malformed list', () => {
      const sweeper = 'nna-deleted-sweeper@nna-prod.iam.gserviceaccount.com';
      const config = loadConfig({ ...local, SERVICE_ACCOUNT_ROLES: `${sweeper.toUpperCase()}=admin; ops@nna-prod.iam.gserviceaccount.com=editor+admin` });
      expect(config.auth.serviceAccountRoles).to.deep.equal({ [sweeper]: ['admin'], 'ops@nna-prod.iam.gserviceaccount.com': ['editor', 'admin'] });
      expect(loadConfig(local).auth.serviceAccountRoles).to.deep.equal({});
      expect(withGrantedRoles({ email: sweeper, roles: [] }, config.auth.serviceAccountRoles).roles).to.deep.equal(['admin']);
      expect(withGrantedRoles({ email: 'someone@example.com', roles: ['editor'] }, config.auth.serviceAccountRoles).roles).to.deep.equal(['editor']);
      for (const bad of [`${sweeper}=owner`, `${sweeper}`, 'not-an-email=admin', `${sweeper}=admin=editor`]) {
        expect(() => loadConfig({ ...local, SERVICE_ACCOUNT_ROLES: bad }), bad).to.throw(ConfigError, /SERVICE_ACCOUNT_ROLES/);
      }
    });

    it('names the API key and project for production, and refuses the Auth emulator there', () => {
      const config = loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api', GOOGLE_CLOUD_PROJECT: 'nna-prod', FIREBASE_API_KEY: 'key-1' });
      expect(config.auth).to.include({ firebaseProjectId: 'nna-prod', firebaseApiKey: 'key-1', authEmulatorHost: undefined });
      expect(loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api' }).auth.firebaseApiKey).to.equal(undefined);
      expect(() => loadConfig({ DEPLOY_ENV: 'production', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })).to.throw(
        ConfigError,
        /FIREBASE_AUTH_EMULATOR_HOST/,
      );
      expect(loadConfig({ ...local, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }).auth.firebaseApiKey).to.be.a('string');
    });

    it("allows the frontend's dev server origins locally, a list from configuration, and refuses what is not an origin", () => {
      expect(loadConfig(local).corsOrigins).to.deep.equal(['http://localhost:3000', 'http://127.0.0.1:3000']);
      expect(loadConfig({ DEPLOY_ENV: 'production', K_SERVICE: 'api' }).corsOrigins).to.deep.equal(['*']);
      expect(loadConfig({ ...local, CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443' }).corsOrigins).to.deep.equal([
        'https://a.example',
        'https://b.example:8443',
      ]);
      // The deploy passes a space-separated list: gcloud's --set-env-vars splits on commas.
      expect(loadConfig({ ...local, CORS_ALLOWED_ORIGINS: 'https://a.example https://b.example' }).corsOrigins).to.deep.equal([
        'https://a.example',
        'https://b.example',
      ]);
      expect(() => loadConfig({ ...local, CORS_ALLOWED_ORIGINS: 'https://a.example/path' })).to.throw(ConfigError, /CORS_ALLOWED_ORIGINS/);
    });
  });
});
