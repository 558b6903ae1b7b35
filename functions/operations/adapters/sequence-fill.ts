/**
 * How full the taxonomy paths are. Each path's counter (`<assets>_sequences/L.CAT.SUB`) holds the
 * last sequence number it gave out, of the 999 a path has; numbers are never given out twice, so
 * the counter is the fill even where assets were deleted. The status page shows the fullest paths,
 * and every path 90% full or more.
 */
import type { Firestore, Query } from '@google-cloud/firestore';
import { MAX_SEQUENCE } from '../../domain/naming.js';
import { withFirestoreErrors } from '../../adapters/firestore/firestore-errors.js';
import type { SequenceStats } from '../stats/stats-schema.js';

/** A path whose counter has reached this is 90% full (the alert in infra/monitoring-alerts.tf uses it too). */
export const NEARLY_FULL_SEQUENCE = 900;
/** The fullest paths shown even when none is nearly full. */
const FULLEST_PATHS_SHOWN = 10;

export async function sequenceFill(firestore: Firestore, sequencesCollection: string, deadlineMs?: number): Promise<SequenceStats> {
  const counters = firestore.collection(sequencesCollection);
  const read = (query: Query) => withFirestoreErrors(() => query.get(), deadlineMs);
  let page = await read(counters.orderBy('last', 'desc').limit(FULLEST_PATHS_SHOWN));
  const lastShown = page.docs[page.docs.length - 1]?.get('last') as unknown;
  // More paths than those few may be nearly full: then every nearly full one is shown.
  if (page.size === FULLEST_PATHS_SHOWN && typeof lastShown === 'number' && lastShown >= NEARLY_FULL_SEQUENCE) {
    page = await read(counters.where('last', '>=', NEARLY_FULL_SEQUENCE).orderBy('last', 'desc'));
  }
  const fullest = page.docs.flatMap((counter) => {
    const last = counter.get('last') as unknown;
    if (typeof last !== 'number') return [];
    return [
      { path: counter.id, last, fill: Math.round((last / MAX_SEQUENCE) * 1000) / 1000, nearlyFull: last >= NEARLY_FULL_SEQUENCE, full: last >= MAX_SEQUENCE },
    ];
  });
  return { capacity: MAX_SEQUENCE, nearlyFullAt: NEARLY_FULL_SEQUENCE, fullest };
}
