import { Timestamp } from '@google-cloud/firestore';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testFirestore } from './firestore-direct.js';
import { PROJECT_ROOT } from './test-environment.js';

export interface LegacyAsset {
  id: string;
  document: Record<string, unknown>;
  timestamps?: string[];
  expectedJson: string;
}

export const legacyAssets = (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'test/fixtures/legacy-assets.json'), 'utf8')) as { assets: LegacyAsset[] }).assets;

/** Writes the legacy documents straight into Firestore, as the old backend left them. */
export async function seedLegacyAssets(): Promise<void> {
  const batch = testFirestore().batch();
  for (const asset of legacyAssets) {
    const document: Record<string, unknown> = { ...asset.document };
    for (const field of asset.timestamps ?? []) document[field] = Timestamp.fromDate(new Date(document[field] as string));
    batch.set(testFirestore().collection('assets').doc(asset.id), document);
  }
  await batch.commit();
}
