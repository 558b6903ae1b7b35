/**
 * An imported user's first sign-in with the old backend's password, over the in-memory legacy
 * credentials (held to the Firestore store's contract) and the real bcrypt check; the identity
 * provider is a stand-in for the two calls adoption makes (the sign-in suite covers the Auth emulator).
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { LegacyPasswords } from '../../functions/sign-in/legacy-password-adoption.js';
import { BcryptPasswordCheck } from '../../functions/adapters/auth/bcrypt-password-check.js';
import { WRONG_CREDENTIALS } from '../../functions/adapters/auth/firebase-identity-provider.js';
import { UnauthenticatedError } from '../../functions/domain/errors.js';
import { InMemoryLegacyCredentials } from '../support/fakes/in-memory-legacy-credentials.js';

const EMAIL = 'ann@example.com';
const PASSWORD = 'old-backend-password';

/** Holds a promise until opened: the step it guards waits there, whatever the machine's speed. */
class Gate {
  opened!: () => void;
  readonly passage = new Promise<void>((resolve) => (this.opened = resolve));
}

class Accounts {
  state: { disabled: boolean; credentialsVersion: string | null } | undefined = { disabled: false, credentialsVersion: 'v1' };
  readonly passwordsSet: Array<[string, string]> = [];
  /** When set, setPassword waits there after the password has changed (the version moved), before it returns. */
  afterSetPassword: Gate | undefined;
  /** Told once a setPassword has changed the password. */
  passwordChanged = new Gate();
  accountState() {
    return Promise.resolve(this.state && { ...this.state });
  }
  async setPassword(uid: string, password: string) {
    this.passwordsSet.push([uid, password]);
    // The identity provider moves the credentials version with every password change.
    this.state = { disabled: false, credentialsVersion: `v${this.passwordsSet.length + 1}` };
    this.passwordChanged.opened();
    await this.afterSetPassword?.passage;
  }
  signIn(_email: string, password: string) {
    const current = this.passwordsSet.at(-1)?.[1];
    return current === password ? Promise.resolve('id-token') : Promise.reject(new UnauthenticatedError(WRONG_CREDENTIALS));
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
    // Right after, a refused sign-in is asked again of the identity provider (a concurrent first sign-in); later, not.
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(true);
    const later = new LegacyPasswords({ credentials, check: new BcryptPasswordCheck(), identity: accounts, now: () => new Date(Date.now() + 120_000) });
    expect(await later.adopt(EMAIL, PASSWORD)).to.equal(false);
    expect(accounts.passwordsSet).to.have.length(1);
  });

  it('lets two first sign-ins at once both through: the second finds the account just changed by the first', async () => {
    accounts.afterSetPassword = new Gate();
    const first = adoption.adopt(EMAIL, PASSWORD);
    await accounts.passwordChanged.passage;
    // The first has made the password the account's own and not yet forgotten the hash.
    const second = await adoption.adopt(EMAIL, PASSWORD);
    accounts.afterSetPassword.opened();
    expect([await first, second]).to.deep.equal([true, true]);
    expect(await state()).to.equal('adopted');
    expect(accounts.passwordsSet).to.have.length(1);
  });

  it('lets two first sign-ins at once both through: the second finds the hash already adopted', async () => {
    // The second was refused by the identity provider before the first adopted; it looks after.
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(true);
    expect(await adoption.adopt(EMAIL, PASSWORD)).to.equal(true);
    expect(await accounts.signIn(EMAIL, PASSWORD)).to.equal('id-token');
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
