/**
 * `verify`: every asset of the source is in the target and equal, field for field, on the source's
 * fields (what this backend added beside them does not count); an asset an earlier import wrote
 * that the source no longer has (deleted in the old backend) is a difference too; assets created in
 * this backend and never imported are not. Each difference is named by id. Reads the target by id,
 * batch by batch, after one pass over its names.
 */
import { sameValue } from '../adapters/firestore/firestore-values.js';
import { ValidationError } from '../domain/errors.js';
import type { Taxonomy } from '../domain/taxonomy/taxonomy.js';
import { MAX_REPORTED, type ImportListener } from './import-report.js';
import { hashOfFields, prepareLegacyAsset, provenanceOf, type LegacyDocument, type PreparedAsset } from './legacy-asset.js';
import type { ImportTarget, LegacyAssetSource, TargetDocument } from './ports.js';
import { loadTargetNames } from './target-names.js';

interface VerifyCounts {
  read: number;
  equal: number;
  different: number;
  missing: number;
  /** Imported earlier, no longer in the source. */
  notInSource: number;
  /** Source records that are bad input (never imported). */
  failed: number;
}

interface Difference {
  id: string;
  kind: 'missing' | 'different' | 'not-in-source' | 'bad-input';
  /** different: the source fields whose values differ. */
  fields?: string[];
  detail: string;
}

export interface VerifyReport {
  command: 'verify';
  source: string;
  status: 'equal' | 'different';
  counts: VerifyCounts;
  differences: Difference[];
  documentsRead: number;
  durationMs: number;
  startedAt: string;
  finishedAt: string;
}

/** Which side changed since the import, from the hash it recorded of the source's fields. */
function causeOf(prepared: PreparedAsset, stored: LegacyDocument): string {
  const recorded = provenanceOf(stored)?.sourceHash;
  if (recorded === undefined) return 'the target differs from the source';
  const storedFields: LegacyDocument = {};
  for (const field of Object.keys(prepared.fields)) if (field in stored) storedFields[field] = stored[field];
  const sourceChanged = recorded !== prepared.sourceHash;
  const targetChanged = recorded !== hashOfFields(storedFields);
  if (sourceChanged && targetChanged) return 'changed in the old backend and in this one since the import';
  return sourceChanged ? 'changed in the old backend since the import (apply again)' : 'changed in this backend since the import';
}

export async function verifyImport(
  deps: { source: LegacyAssetSource; target: ImportTarget; taxonomy: Taxonomy; onProgress: ImportListener },
  batchSize: number,
): Promise<VerifyReport> {
  const began = Date.now();
  const { names, imported } = await loadTargetNames(deps.target, true);
  const counts: VerifyCounts = { read: 0, equal: 0, different: 0, missing: 0, notInSource: 0, failed: 0 };
  const differences: Difference[] = [];
  const report = (difference: Difference): void => {
    if (differences.length < MAX_REPORTED) differences.push(difference);
  };
  deps.onProgress({ event: 'start', command: 'verify', source: deps.source.label, dryRun: true, since: null });

  const compare = (prepared: PreparedAsset, state: TargetDocument): void => {
    imported.delete(prepared.id);
    if (!state.data) {
      counts.missing++;
      const holder = names.get(prepared.nameKey);
      report({ id: prepared.id, kind: 'missing', detail: holder ? `not imported: ${prepared.nameKey} is held by asset ${holder}` : 'not in this backend' });
      return;
    }
    const stored = state.data;
    const fields = Object.keys(prepared.fields).filter((field) => !(field in stored) || !sameValue(stored[field], prepared.fields[field]));
    if (fields.length === 0) counts.equal++;
    else {
      counts.different++;
      report({ id: prepared.id, kind: 'different', fields, detail: causeOf(prepared, stored) });
    }
  };

  let batch: PreparedAsset[] = [];
  let batches = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const states = await deps.target.read(batch.map((prepared) => prepared.id));
    batch.forEach((prepared, index) => compare(prepared, states[index]!));
    batch = [];
    deps.onProgress({
      event: 'batch',
      batch: ++batches,
      counts: { read: counts.read, created: 0, updated: 0, unchanged: counts.equal, failed: counts.failed, skipped: 0 },
      progress: deps.source.progress(),
    });
  };
  for await (const record of deps.source.records()) {
    counts.read++;
    if ('error' in record) {
      counts.failed++;
      if (record.id) imported.delete(record.id);
      report({ id: record.id ?? record.position, kind: 'bad-input', detail: `${record.position}: ${record.error}` });
      continue;
    }
    try {
      batch.push(prepareLegacyAsset(deps.taxonomy, record.document));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      counts.failed++;
      const id = record.document['_id'];
      if (typeof id === 'string') imported.delete(id);
      report({ id: typeof id === 'string' ? id : record.position, kind: 'bad-input', detail: `${record.position}: ${error.message}` });
      continue;
    }
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  for (const id of imported) {
    counts.notInSource++;
    report({ id, kind: 'not-in-source', detail: 'imported earlier, no longer in the source (deleted in the old backend?)' });
  }
  const problems = counts.different + counts.missing + counts.notInSource + counts.failed;
  const finished = Date.now();
  return {
    command: 'verify',
    source: deps.source.label,
    status: problems === 0 ? 'equal' : 'different',
    counts,
    differences,
    documentsRead: deps.target.documentsRead,
    durationMs: finished - began,
    startedAt: new Date(began).toISOString(),
    finishedAt: new Date(finished).toISOString(),
  };
}
