import type { MetricLabels } from '../../domain/ports/metrics.js';

/** Labels with no value set are stored under this key (a Firestore field name may not be empty). */
const NO_LABELS = '_';

/**
 * One series of a metric (one combination of label values) as a Firestore map key: the labels
 * sorted and URL-encoded, so the key is stable whatever order the caller gave them in.
 */
export function seriesKey(labels: MetricLabels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return NO_LABELS;
  return new URLSearchParams(entries).toString();
}

export function labelsOf(key: string): MetricLabels {
  if (key === NO_LABELS) return {};
  return Object.fromEntries(new URLSearchParams(key));
}
