import type { MetricLabels } from '../../domain/ports/metrics.js';

/** Labels with no value set are stored under this key (a Firestore field name may not be empty). */
const NO_LABELS = '_';
/**
 * Label values are cut to this length: a Firestore field name is limited to 1500 bytes, and one
 * over-long value would otherwise fail every flush that carries it.
 */
const MAX_VALUE_LENGTH = 120;

/**
 * One series of a metric (one combination of label values) as a Firestore map key: the labels
 * sorted and URL-encoded, so the key is stable whatever order the caller gave them in.
 */
export function seriesKey(labels: MetricLabels): string {
  const entries = Object.entries(labels)
    .map(([name, value]) => [name.slice(0, MAX_VALUE_LENGTH), String(value).slice(0, MAX_VALUE_LENGTH)] as [string, string])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return NO_LABELS;
  return new URLSearchParams(entries).toString();
}

export function labelsOf(key: string): MetricLabels {
  if (key === NO_LABELS) return {};
  return Object.fromEntries(new URLSearchParams(key));
}
