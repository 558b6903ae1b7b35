/**
 * At the local stack's start: raises every sequence counter to the highest number its journal says
 * the API gave out (functions/adapters/local-files/sequence-journal-file.ts). The emulator loads the
 * stack's last save, up to a few seconds old after a crash; assets created after it are gone, but
 * their names were answered 201 and must never name another asset.
 */
import { Firestore } from '@google-cloud/firestore';
import { SequenceCounters } from '../../functions/adapters/firestore/firestore-sequence-counters.js';
import { compactSequenceJournal, sequenceMarksIn } from '../../functions/adapters/local-files/sequence-journal-file.js';

/** Generous: the emulator has just started and loaded its data. */
const DEADLINE_MS = 60_000;

export interface RaisedCounter {
  counter: string;
  from: number;
  to: number;
}

/** The counters that were behind the journal, now raised; the journal is compacted to one line per counter. */
export async function raiseSequenceCounters(firestoreHost: string, projectId: string, journalFile: string): Promise<RaisedCounter[]> {
  const marks = sequenceMarksIn(journalFile);
  if (marks.length === 0) return [];
  // The client takes the emulator from the environment, which wins over its settings: the stack's own emulator.
  process.env['FIRESTORE_EMULATOR_HOST'] = firestoreHost;
  const db = new Firestore({ projectId });
  try {
    const raised: RaisedCounter[] = [];
    for (const mark of marks) {
      const { from, to } = await SequenceCounters.raise(db, mark.assets, DEADLINE_MS, mark.key, mark.last);
      if (to > from) raised.push({ counter: `${mark.assets}/${mark.key}`, from, to });
    }
    compactSequenceJournal(journalFile, marks);
    return raised;
  } finally {
    await db.terminate();
  }
}
