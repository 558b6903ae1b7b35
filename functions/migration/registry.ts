import { NotFoundError } from '../domain/errors.js';
import type { Migration } from './migration.js';
import { creatorDescriptionMigration } from './migrations/2025-06-creator-description.js';
import { searchTermsMigration } from './migrations/2025-07-search-terms.js';
import { searchIndexMigration } from './migrations/2026-12-search-index.js';
import { registryShapeMigration } from './migrations/2026-12-registry-shape.js';

/** Every migration, oldest first. A new migration is a new module added here. */
export const MIGRATIONS: readonly Migration[] = [creatorDescriptionMigration, searchTermsMigration, registryShapeMigration, searchIndexMigration];

export function findMigration(id: string): Migration {
  const migration = MIGRATIONS.find((candidate) => candidate.id === id);
  if (!migration) {
    throw new NotFoundError(`Unknown migration "${id}"; known: ${MIGRATIONS.map((known) => known.id).join(', ')}`);
  }
  return migration;
}
