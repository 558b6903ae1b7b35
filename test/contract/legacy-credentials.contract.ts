/** What sign-in and the users import rely on from a LegacyCredentialStore: run against Firestore and the in-memory fake. */
import { expect } from 'chai';
import type { LegacyCredentialRecord, LegacyCredentialStore } from '../../functions/domain/ports/legacy-credentials.js';
import { rejectionOf } from './asset-documents.js';

export type MakeLegacyCredentials = () => Promise<LegacyCredentialStore>;

function record(email: string, overrides: Partial<LegacyCredentialRecord> = {}): LegacyCredentialRecord {
  return {
    uid: `uid-${email}`,
    email,
    hash: '$2a$10$abcdefghijklmnopqrstuv',
    accountVersion: 'v1',
    source: 'users.json',
    importedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function describeLegacyCredentialsContract(name: string, make: MakeLegacyCredentials): void {
  describe(`LegacyCredentialStore contract: ${name}`, function () {
    this.timeout(30_000);
    let store: LegacyCredentialStore;
    beforeEach(async () => {
      store = await make();
    });

    it('finds a saved credential by email whatever its case, with its account version (null kept)', async () => {
      await store.save([record('Ann@Example.com'), record('bob@example.com', { accountVersion: null })]);
      expect(await store.find('ann@example.com')).to.deep.equal({ uid: 'uid-Ann@Example.com', hash: '$2a$10$abcdefghijklmnopqrstuv', accountVersion: 'v1' });
      expect(await store.find('  ANN@example.COM ')).to.deep.equal(await store.find('ann@example.com'));
      expect((await store.find('bob@example.com'))?.accountVersion).to.equal(null);
      expect(await store.find('nobody@example.com')).to.equal(undefined);
      await store.save([]);
    });

    it('forgets the hash but keeps the record and its state; statuses are by lowercased email, unknown ones left out', async () => {
      await store.save([record('ann@example.com'), record('bob@example.com'), record('cy@example.com')]);
      await store.forget('Ann@example.com', 'adopted');
      await store.forget('bob@example.com', 'stale');
      expect(await store.find('ann@example.com')).to.equal(undefined);
      expect(await store.find('bob@example.com')).to.equal(undefined);
      const statuses = await store.statuses(['ANN@example.com', 'bob@example.com', 'cy@example.com', 'nobody@example.com']);
      expect(Object.fromEntries(statuses)).to.deep.equal({
        'ann@example.com': { uid: 'uid-ann@example.com', state: 'adopted' },
        'bob@example.com': { uid: 'uid-bob@example.com', state: 'stale' },
        'cy@example.com': { uid: 'uid-cy@example.com', state: 'waiting' },
      });
      expect((await store.statuses([])).size).to.equal(0);
    });

    it('tells whether a hash was adopted since a time: not when stale, waiting or unknown', async () => {
      const before = new Date(Date.now() - 1_000);
      await store.save([record('ann@example.com'), record('bob@example.com'), record('cy@example.com')]);
      await store.forget('ann@example.com', 'adopted');
      await store.forget('bob@example.com', 'stale');
      expect(await store.adoptedSince('ANN@example.com', before)).to.equal(true);
      expect(await store.adoptedSince('ann@example.com', new Date(Date.now() + 60_000))).to.equal(false);
      for (const email of ['bob@example.com', 'cy@example.com', 'nobody@example.com']) expect(await store.adoptedSince(email, before), email).to.equal(false);
    });

    it('refuses to forget a credential it never had', async () => {
      expect(await rejectionOf(store.forget('nobody@example.com', 'stale'))).to.be.instanceOf(Error);
    });
  });
}
