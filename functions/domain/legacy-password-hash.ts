/**
 * Which of the old backend's password hashes are imported and checked. It hashed every password
 * with bcryptjs at cost 10, so exactly that is accepted: `$2a$`, `$2b$` or `$2y$` bcrypt at cost 10.
 * Another scheme (`$2x$`) or cost cannot be checked, or would cost a sign-in attempt a different
 * amount of work: a higher cost is CPU an attacker spends for us on every try, a lower one answers a
 * wrong password faster than an unknown email (which is compared against a cost-10 hash), and so
 * tells that the email exists.
 */
const LEGACY_BCRYPT_COST = 10;

/** The modular crypt format: `$2a$10$`, then 22 characters of salt and 31 of hash. */
const BCRYPT_HASH = /^\$2([abxy])\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/** Why a stored password hash is not one the old backend made (never quoting the hash); undefined when it is. */
export function legacyHashProblem(hash: string): string | undefined {
  const parts = BCRYPT_HASH.exec(hash);
  if (!parts) return 'is not a bcrypt hash ($2a$10$ then 53 characters)';
  if (parts[1] === 'x') return 'is a $2x$ bcrypt hash (an old, flawed variant): only $2a$, $2b$ and $2y$ can be checked';
  const cost = Number(parts[2]);
  if (cost !== LEGACY_BCRYPT_COST) return `has bcrypt cost ${cost}: the old backend hashed at cost ${LEGACY_BCRYPT_COST}, and only that cost is accepted`;
  return undefined;
}
