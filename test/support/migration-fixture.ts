import { seedLegacyAssetCollection } from '../../scripts/lib/legacy-asset-generator.js';
import { testFirestore } from './firestore-direct.js';

export const MIGRATION_ID = '2025-06-creator-description';
export const FIXTURE_COUNT = 1100;

/** The 1,100 fixture assets (legacy shapes, Timestamp dates, some already migrated) in `assets`. */
export function seedMigrationFixture(count = FIXTURE_COUNT): Promise<void> {
  return seedLegacyAssetCollection(testFirestore(), 'assets', count);
}
