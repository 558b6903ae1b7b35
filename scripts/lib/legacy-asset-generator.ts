/**
 * Deterministic asset documents in the shapes the old backend left behind (star, composite,
 * Timestamp dates, `__v`), some already carrying the new fields: the fixtures of the migration tests
 * and benchmark.
 */
import { Timestamp, type Firestore } from '@google-cloud/firestore';

export function legacyAssetId(index: number): string {
  return `asset-${String(index).padStart(6, '0')}`;
}

export function legacyAsset(index: number): Record<string, unknown> {
  const sequence = String((index % 999) + 1).padStart(3, '0');
  const createdAt = new Date(Date.UTC(2025, 0, 1) + index * 60_000).toISOString();
  const composite = index % 3 === 2;
  const document: Record<string, unknown> = composite
    ? {
        name: `C.RMX.POP.${sequence}:S.FAN.BAS.001+L.VIN.BAS.001`,
        nna_address: `9.001.001.${sequence}:2.016.001.001+3.007.001.001`,
        layer: 'C',
        category: 'Music_Video_ReMixes',
        subcategory: 'Pop_ReMixes',
        components: ['S.FAN.BAS.001', 'L.VIN.BAS.001'],
      }
    : {
        name: `S.VAV.BAS.${sequence}`,
        nna_address: `2.014.001.${sequence}`,
        layer: 'S',
        category: 'Virtual_Avatars',
        subcategory: 'Base',
        categoryCode: 'VAV',
        subcategoryCode: 'BAS',
        trainingData: { prompts: [], images: [], videos: [] },
        rights: { source: 'Original', rights_split: '100%' },
        __v: 0,
      };
  Object.assign(document, {
    description: `Legacy asset number ${index}`,
    tags: ['general', `t${index % 5}`],
    source: 'ReViz',
    files: [
      {
        id: `f${index}`,
        filename: `${index}.mp4`,
        contentType: 'video/mp4',
        size: 1024 + index,
        url: `https://storage.googleapis.com/b/${index}.mp4`,
        uploadedAt: createdAt,
      },
    ],
    metadata: { humanFriendlyName: document['name'], nested: { level: index % 4, ok: true } },
    status: 'active',
    createdBy: 'legacy@example.com',
    createdAt: index % 7 === 3 ? Timestamp.fromDate(new Date(createdAt)) : createdAt,
    updatedAt: index % 7 === 3 ? Timestamp.fromMillis(Date.parse(createdAt) + 1234) : createdAt,
  });
  if (index % 10 === 0) {
    document['creatorDescription'] = `Written by a creator for asset ${index}`;
    document['aiMetadata'] = { generatedBy: 'model-x', generationStrategy: 'song-first', processingTime: 120, confidence: 0.9, generatedAt: createdAt };
  } else if (index % 10 === 5) {
    document['creatorDescription'] = `Only a description for asset ${index}`;
  }
  return document;
}

/** Writes `count` assets with batched writes (500 per commit, a few commits in flight). */
export async function seedLegacyAssetCollection(db: Firestore, collection: string, count: number, first = 0): Promise<void> {
  const commits: Promise<unknown>[] = [];
  for (let start = first; start < first + count; start += 500) {
    const batch = db.batch();
    for (let index = start; index < Math.min(first + count, start + 500); index++)
      batch.set(db.collection(collection).doc(legacyAssetId(index)), legacyAsset(index));
    commits.push(batch.commit());
    if (commits.length >= 4) await Promise.all(commits.splice(0));
  }
  await Promise.all(commits);
}
