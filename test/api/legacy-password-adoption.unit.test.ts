/**
 * An imported user's first sign-in with the old backend's password, over the in-memory legacy
 * credentials (held to the Firestore store's contract) and the real bcrypt check; the identity
 * provider is a stand-in for the two calls adoption makes (the sign-in suite covers the Auth emulator).
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { LegacyPasswords } from '../../functions/api/legacy-password-adoption.js';
import { BcryptPasswordCheck } from '../../functions/adapters/auth/bcrypt-password-check.js';
import { InMemoryLegacyCredentials } from '../support/fakes/in-memory-legacy-credentials.js';

const EMAIL = 'ann@example.com';
const PASSWORD = 'old-backend-password';

class Accounts {
  state: { disabled: boolean; credentialsVersion: string | null } | undefined = { disabled: false, credentialsVersion: 'v1' };
  readonly passwordsSet: Array<[string, string]> = [];
  accountState() {
    return Promise.resolve(this.state);
  }
  setPassword(uid: string, password: string) {
    this.passwordsSet.push([uid, password]);
    return Promise.resolve();
  }
}

describe('legacy password adoption over the in-memory credentials', () => {
  let credentials: InMemoryLegacyCredentials;
  let accounts: Accounts;
  let adoption: LegacyPasswords;
  const state = async () => (await credentials.statuses([EMAIL])).get(EMAIL)?.state;

  beforeEach(async () => {
    credentials = new InMemoryLegacyCredentials();
    accounts = new Accounts();
    adoption = new LegacyPasswords({ credentials, check: new BcryptPasswordCheck(), identity: accounts });
    const hash = await bcrypt.hash(PASSWORD, 10);
    await credentials.save([{ uid: 'uid-ann', email: EMAIL, hash, accountVersion: 'v1', source: 'users.json', importedAt: '2026-01-01T00:00:00.000Z' }]);
  });

  it('makes a matching password the account password and forgets the hash', async () => {
    expect(await adoption.adopt('Ann@Example.com', PASSWORD)).to.equal(true);
    expect(accounts.passwordsSet).to.deep.equal([['uid-ann', PASSWORD]]);
    expect(await state()).to.equal('adopted');
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(false);
  });

  it('refuses a wrong password and keeps the hash waiting', async () => {
    expect(await adoption.adopt(EMAIL, 'wrong')).to.equal(false);
    expect(accounts.passwordsSet).to.deep.equal([]);
    expect(await state()).to.equal('waiting');
  });

  it('never sets the password back on an account changed since the import: the hash goes as stale', async () => {
    accounts.state = { disabled: false, credentialsVersion: 'v2' };
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(false);
    expect(accounts.passwordsSet).to.deep.equal([]);
    expect(await state()).to.equal('stale');
  });

  it('refuses a disabled or missing account and an email without a credential, changing nothing', async () => {
    accounts.state = { disabled: true, credentialsVersion: 'v1' };
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(false);
    accounts.state = undefined;
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(false);
    expect(await adoption.adopt('nobody@example.com', PASSWORD)).to.equal(false);
    expect(accounts.passwordsSet).to.deep.equal([]);
    expect(await state()).to.equal('waiting');
  });
});
