/**
 * The seed's migration: legacy assets get a `creatorDescription` (their name) and `aiMetadata`
 * saying the text predates AI generation. Assets that already have a field keep it untouched.
 */
import { clientJsonOf, timestampIsoOf } from '../../domain/plain-document.js';
import { assetDocumentSchema } from '../../domain/schemas/asset.js';
import type { Migration, PlainDocument } from '../migration.js';

/** Legacy documents hold createdAt as an ISO string or as a stored timestamp. */
function isoOf(value: unknown): string {
  if (typeof value === 'string') return new Date(value).toISOString();
  const timestamp = timestampIsoOf(value);
  if (timestamp !== undefined) return timestamp;
  throw new Error(`createdAt is neither a date string nor a timestamp: ${JSON.stringify(value)}`);
}

/**
 * aiMetadata accepts the web frontend's shape too, so no field of it is required on its own; but
 * provenance the seed's way (`generatedBy`) is complete: strategy, time and confidence with it.
 */
function seedProvenanceIssues(aiMetadata: unknown): string[] {
  if (aiMetadata === null || typeof aiMetadata !== 'object' || !('generatedBy' in aiMetadata)) return [];
  const fields = aiMetadata as Record<string, unknown>;
  return ['generationStrategy', 'generatedAt', 'confidence']
    .filter((field) => fields[field] === undefined)
    .map((field) => `aiMetadata.${field}: missing beside generatedBy`);
}

export const creatorDescriptionMigration: Migration = {
  id: '2025-06-creator-description',
  description:
    'Legacy assets: creatorDescription from name; aiMetadata { generatedBy: Legacy, generationStrategy: pre-ai, generatedAt: createdAt, confidence: 0.5 }',

  selects(document: PlainDocument): boolean {
    return document['creatorDescription'] === undefined || document['aiMetadata'] === undefined;
  },

  up(document: PlainDocument): PlainDocument {
    const next: PlainDocument = { ...document };
    if (next['creatorDescription'] === undefined) {
      if (typeof document['name'] !== 'string') throw new Error('the asset has no name to describe it with');
      next['creatorDescription'] = document['name'];
    }
    if (next['aiMetadata'] === undefined) {
      next['aiMetadata'] = { generatedBy: 'Legacy', generationStrategy: 'pre-ai', generatedAt: isoOf(document['createdAt']), confidence: 0.5 };
    }
    return next;
  },

  verify(document: PlainDocument): string[] {
    const issues: string[] = [];
    if (document['creatorDescription'] === undefined) issues.push('creatorDescription: missing');
    if (document['aiMetadata'] === undefined) issues.push('aiMetadata: missing');
    issues.push(...seedProvenanceIssues(document['aiMetadata']));
    // Clients read Timestamps as ISO strings, so the schema is checked on what they read.
    const parsed = assetDocumentSchema.safeParse(clientJsonOf(document));
    if (!parsed.success) for (const issue of parsed.error.issues) issues.push(`${issue.path.join('.') || '(document)'}: ${issue.message}`);
    return issues;
  },
};
