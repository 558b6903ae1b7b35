/**
 * Where every sequence number given out is noted outside the database, for a database that can
 * lose its last seconds (the local stack's Firestore emulator, saved every few seconds): the stack
 * raises its counters to these notes at its next start, so a name once handed out never names
 * another asset. Deployed functions have none (Firestore loses no committed write).
 */
export interface SequenceJournal {
  /** Notes, before the write that uses it commits, that `sequence` of the counter `key` of `assetsCollection` is given out. */
  given(assetsCollection: string, key: string, sequence: number): void;
}
