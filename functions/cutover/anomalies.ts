/**
 * What the importer finds odd in the old backend's data. Anomalies are imported as they are, never
 * fixed or dropped, and reported with a count and a few examples each, so that the operator can
 * decide what to do about them after the cutover.
 */
const ANOMALY_KINDS = {
  'unknown-taxonomy': 'the name is not an HFN of the taxonomy: no codes, no sequence, no counter (served as stored)',
  'taxonomy-mismatch': "layer, category or subcategory do not name the taxonomy path of the asset's HFN",
  'broken-address': "nna_address is not an address of the taxonomy, or not the HFN's own (letter-form or numeric MFA)",
  'sequence-out-of-range': 'the sequence number is outside 001-999 (the counter still continues after it)',
  'unparseable-json': 'trainingData or rights is a string that is not JSON (kept as the string)',
  'dangling-component': 'a component names no asset of the import or of this backend, or is not an address',
  'unexpected-field': 'a field the clients read has an unexpected type (kept as it is)',
  'non-canonical-sequence': "the name's sequence is not three digits (S.POP.BAS.0001): it is compared, and conflicts, in its canonical form S.POP.BAS.001",
  'route-like-id': 'the id is also a path of the API (/api/assets/search): that URL answers the route, the asset is read by its name (/api/assets/nna/<name>)',
  'unsafe-url': 'albumArt is not an https URL (javascript:, http:, data:...): kept, but never served',
  'future-date': 'createdAt or updatedAt is later than the import (listings order on createdAt: it would stay first)',
  'duplicate-id': 'the source holds this _id more than once: the later record is the one imported',
} as const;

export type AnomalyKind = keyof typeof ANOMALY_KINDS;

export interface Anomaly {
  kind: AnomalyKind;
  detail: string;
}

export interface AnomalyExample {
  /** Where the source holds it (`line 12`, `page 2 item 7`). */
  position?: string;
  id: string;
  name: string;
  detail: string;
}

export interface AnomalySummary {
  kind: AnomalyKind;
  description: string;
  count: number;
  examples: AnomalyExample[];
}

const EXAMPLES_PER_KIND = 5;

/** Counts anomalies by kind and keeps the first few examples of each: memory stays flat however many there are. */
export class AnomalyLog {
  private readonly byKind = new Map<AnomalyKind, { count: number; examples: AnomalyExample[] }>();

  add(id: string, name: string, anomaly: Anomaly, count = 1, position?: string): void {
    const entry = this.byKind.get(anomaly.kind) ?? { count: 0, examples: [] };
    entry.count += count;
    if (entry.examples.length < EXAMPLES_PER_KIND) entry.examples.push({ ...(position ? { position } : {}), id, name, detail: anomaly.detail });
    this.byKind.set(anomaly.kind, entry);
  }

  summary(): AnomalySummary[] {
    return (Object.keys(ANOMALY_KINDS) as AnomalyKind[]).flatMap((kind) => {
      const entry = this.byKind.get(kind);
      return entry ? [{ kind, description: ANOMALY_KINDS[kind], count: entry.count, examples: entry.examples }] : [];
    });
  }
}
