/** Legacy passwords checked with bcryptjs, the library the old backend hashed them with (cost 10). */
import bcrypt from 'bcryptjs';
import { legacyHashProblem } from '../../domain/legacy-password-hash.js';
import type { PasswordHashCheck } from '../../domain/ports/legacy-credentials.js';

/**
 * A cost-10 hash of a random text that was thrown away: compared when an email has no legacy
 * credential, or one that cannot be checked, so that every refusal costs what a wrong password costs.
 */
const NOBODY = '$2b$10$WZ18Gt31myhFbBRM8g79Ae/bIXD8U9nDV25AdGxiVomZpe6a6Wolq';

type Compare = (password: string, hash: string) => Promise<boolean>;

export class BcryptPasswordCheck implements PasswordHashCheck {
  /** `compare`: bcryptjs's, replaceable so that a test can count the work each attempt does. */
  constructor(private readonly compare: Compare = bcrypt.compare) {}

  async matches(password: string, hash: string | undefined): Promise<boolean> {
    // A stored hash the old backend cannot have made ($2x$, another cost, not bcrypt) is refused like a
    // wrong password after the same single cost-10 comparison: bcryptjs would throw on some (a 500
    // that tells the email exists) and spend up to 2^31 rounds on others.
    const checkable = hash !== undefined && legacyHashProblem(hash) === undefined;
    const matched = await this.compare(password, checkable ? hash : NOBODY);
    return checkable && matched;
  }
}
