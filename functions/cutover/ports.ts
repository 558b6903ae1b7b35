/**
 * The importer's two sides: where the old backend's assets come from (a mongoexport file, its REST
 * API) and where they go (Firestore). The use cases (import-assets.ts, verify-import.ts) see only these.
 */
import type { LegacyDocument } from './legacy-asset.js';

/** One record of a source: a decoded document, or why it could not be decoded; `position` names it for the operator. */
export type SourceRecord = { position: string; document: LegacyDocument } | { position: string; error: string; id?: string };

export interface LegacyAssetSource {
  /** What the provenance and the report name the source by: the export file's name or the API's URL. */
  readonly label: string;
  /**
   * Checks that the source can be read (the file opens, the credentials are accepted) before
   * anything is written; throws a LegacySourceError when it cannot (the command exits 2).
   */
  open(): Promise<void>;
  records(): AsyncIterable<SourceRecord>;
  /** How far reading has come (0-1) for the progress bar, when the source knows its size. */
  progress(): number | undefined;
}

/** The version of a stored document as the target read it (its update time): writes are refused if it changed since. */
export type Version = { readonly __version: unique symbol };

export interface TargetDocument {
  id: string;
  /** The stored document, undefined when there is none. */
  data: LegacyDocument | undefined;
  version: Version | undefined;
  /** A soft-deleted asset of this id waits in the deleted collection: it is not imported over. */
  deletedHere: boolean;
}

export interface Counter {
  key: string;
  last: number;
  version: Version | undefined;
}

/** One pass over the target at the start: every asset's base name, and whether it was imported. */
export interface TargetName {
  id: string;
  nameKey: string;
  imported: boolean;
}

export interface TargetWrite {
  before: TargetDocument;
  after: LegacyDocument;
}

export interface ImportTarget {
  names(): AsyncIterable<TargetName>;
  /** By id (no query), in the order given. */
  read(ids: string[]): Promise<TargetDocument[]>;
  readCounters(keys: string[]): Promise<Counter[]>;
  /**
   * Writes the documents, their history entries and the counters in one atomic commit, each with a
   * precondition on the version read. Returns the counters' new versions, `stale` (nothing
   * written) when any of them changed since it was read, or `refused` (nothing written) when the
   * database refused something the commit holds, with its reason.
   */
  commit(writes: TargetWrite[], counters: Counter[]): Promise<{ counters: Counter[] } | 'stale' | { refused: string }>;
  /** Documents read so far (production bills each one). */
  readonly documentsRead: number;
}

/** Operations (document writes) per commit: the asset, its history entry, and the counters. */
export function operationsOf(writes: number, counters: number): number {
  return writes * 2 + counters;
}
