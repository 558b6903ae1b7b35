/** Legacy passwords checked with bcryptjs, the library the old backend hashed them with (cost 10). */
import bcrypt from 'bcryptjs';
import type { PasswordHashCheck } from '../../domain/ports/legacy-credentials.js';

/**
 * A cost-10 hash of a random text that was thrown away: compared when an email has no legacy
 * credential, so that the refusal costs the time a wrong password costs for one that has.
 */
const NOBODY = '$2b$10$WZ18Gt31myhFbBRM8g79Ae/bIXD8U9nDV25AdGxiVomZpe6a6Wolq';

export class BcryptPasswordCheck implements PasswordHashCheck {
  async matches(password: string, hash: string | undefined): Promise<boolean> {
    const matched = await bcrypt.compare(password, hash ?? NOBODY);
    return hash !== undefined && matched;
  }
}
