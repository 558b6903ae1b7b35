/**
 * The work a legacy password check does, counted rather than timed: every attempt makes exactly one
 * bcrypt comparison, always against a cost-10 hash (the old backend's cost), whether the email has a
 * credential, a wrong password, or a stored hash that cannot be checked; and such a hash is refused
 * like a wrong password, never thrown as an error (a 500 that would tell the email exists).
 */
import bcrypt from 'bcryptjs';
import { expect } from 'chai';
import { BcryptPasswordCheck } from '../../functions/adapters/auth/bcrypt-password-check.js';
import { LegacyPasswords } from '../../functions/sign-in/legacy-password-adoption.js';
import { legacyHashProblem } from '../../functions/domain/legacy-password-hash.js';
import { InMemoryLegacyCredentials } from '../support/fakes/in-memory-legacy-credentials.js';

const PASSWORD = 'old-backend-password';
const SALT_AND_HASH = 'abcdefghijklmnopqrstuv' + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
/** Hashes the old backend cannot have made: another variant, a cost above or below its 10, not bcrypt at all. */
const UNCHECKABLE = {
  'a $2x$ hash': `$2x$10$${SALT_AND_HASH}`,
  'cost 99': `$2a$99$${SALT_AND_HASH}`,
  'cost 31': `$2b$31$${SALT_AND_HASH}`,
  'cost 04': `$2a$04$${SALT_AND_HASH}`,
  'not bcrypt': 'plain-text-password',
};

describe('legacy password check: the same work for every attempt', () => {
  const compared: string[] = [];
  const countingCheck = new BcryptPasswordCheck((_password, hash) => {
    compared.push(hash);
    return Promise.resolve(false);
  });
  beforeEach(() => {
    compared.length = 0;
  });

  it('compares an unknown email once against a cost-10 hash', async () => {
    expect(await countingCheck.matches(PASSWORD, undefined)).to.equal(false);
    expect(compared).to.have.length(1);
    expect(legacyHashProblem(compared[0]!)).to.equal(undefined);
  });

  it('compares a checkable stored hash itself, once', async () => {
    const hash = `$2y$10$${SALT_AND_HASH}`;
    expect(await countingCheck.matches(PASSWORD, hash)).to.equal(false);
    expect(compared).to.deep.equal([hash]);
  });

  for (const [kind, hash] of Object.entries(UNCHECKABLE)) {
    it(`refuses ${kind} after one cost-10 comparison, never against the hash itself`, async () => {
      expect(await countingCheck.matches(PASSWORD, hash)).to.equal(false);
      expect(compared).to.have.length(1);
      expect(compared[0]).to.not.equal(hash);
      expect(legacyHashProblem(compared[0]!)).to.equal(undefined);
    });
  }

  it('with bcryptjs: an uncheckable stored hash is a refusal like a wrong password, not an error', async () => {
    const credentials = new InMemoryLegacyCredentials();
    const adoption = new LegacyPasswords({
      credentials,
      check: new BcryptPasswordCheck(),
      identity: {
        accountState: () => Promise.resolve({ disabled: false, credentialsVersion: 'v1' }),
        setPassword: () => Promise.resolve(),
        signIn: () => Promise.reject(new Error('the identity provider is not asked for a refused password')),
      },
    });
    const emails = ['x@example.com', 'ninety-nine@example.com'];
    await credentials.save(
      [UNCHECKABLE['a $2x$ hash'], UNCHECKABLE['cost 99']].map((hash, index) => ({
        uid: `uid-${index}`,
        email: emails[index]!,
        hash,
        accountVersion: 'v1',
        source: 'users.json',
        importedAt: '2026-01-01T00:00:00.000Z',
      })),
    );
    for (const email of emails) expect(await adoption.adopt(email, PASSWORD), email).to.equal(false);
  });

  it('with bcryptjs: the right password against the old backend’s kind of hash matches', async () => {
    const hash = await bcrypt.hash(PASSWORD, 10);
    expect(await new BcryptPasswordCheck().matches(PASSWORD, hash)).to.equal(true);
    expect(await new BcryptPasswordCheck().matches('wrong', hash)).to.equal(false);
  });
});
