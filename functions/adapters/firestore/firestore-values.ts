/**
 * Stored Firestore values compared and written to text losslessly: Timestamps, GeoPoints, bytes and
 * document references keep their type through an NDJSON backup file and back.
 */
import { DocumentReference, GeoPoint, Timestamp, type DocumentData, type Firestore } from '@google-cloud/firestore';
import type { PlainDocument } from '../../domain/plain-document.js';

/** Old documents may hold Firestore Timestamps; clients have always read ISO strings. */
export function fromFirestore(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(fromFirestore);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = fromFirestore(entry);
    return result;
  }
  return value;
}

/** True when two stored values are the same value of the same type (Timestamp ≠ its ISO string). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Timestamp || a instanceof GeoPoint) return (b instanceof Timestamp || b instanceof GeoPoint) && a.isEqual(b as never);
  if (a instanceof DocumentReference) return b instanceof DocumentReference && a.path === b.path;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.from(a).equals(Buffer.from(b));
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((entry, index) => sameValue(entry, b[index]));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(bRecord).length) return false;
  return aKeys.every((key) => key in bRecord && sameValue((a as Record<string, unknown>)[key], bRecord[key]));
}

/*
 * Encoding: special values become one-key objects whose key starts with `$`; a stored map that
 * itself has a key starting with `$` is wrapped in `{ "$map": ... }`, so decoding is unambiguous.
 */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Timestamp) return { $ts: [value.seconds, value.nanoseconds] };
  if (value instanceof GeoPoint) return { $geo: [value.latitude, value.longitude] };
  if (value instanceof DocumentReference) return { $ref: value.path };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) result[key] = encodeValue(entry);
    return Object.keys(result).some((key) => key.startsWith('$')) ? { $map: result } : result;
  }
  return value;
}

export function decodeValue(value: unknown, db: Firestore): unknown {
  if (Array.isArray(value)) return value.map((entry) => decodeValue(entry, db));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const [onlyKey] = Object.keys(record);
  if (Object.keys(record).length === 1 && onlyKey?.startsWith('$')) {
    const inner = record[onlyKey];
    switch (onlyKey) {
      case '$ts': {
        const [seconds, nanoseconds] = inner as [number, number];
        return new Timestamp(seconds, nanoseconds);
      }
      case '$geo': {
        const [latitude, longitude] = inner as [number, number];
        return new GeoPoint(latitude, longitude);
      }
      case '$ref':
        return db.doc(inner as string);
      case '$bytes':
        return Buffer.from(inner as string, 'base64');
      case '$num':
        return Number(inner);
      case '$map': {
        const result: Record<string, unknown> = {};
        for (const [key, entry] of Object.entries(inner as Record<string, unknown>)) result[key] = decodeValue(entry, db);
        return result;
      }
      default:
        throw new Error(`Unknown encoded value ${onlyKey} in a backup file`);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(record)) result[key] = decodeValue(entry, db);
  return result;
}

/** A stored document as a plain document (domain/plain-document.ts): each top-level field encoded. */
export function plainDocumentOf(data: DocumentData): PlainDocument {
  const plain: PlainDocument = {};
  for (const [key, value] of Object.entries(data)) plain[key] = encodeValue(value);
  return plain;
}

/** A plain document back as Firestore values, ready to write. */
export function storedDocumentOf(plain: PlainDocument, db: Firestore): DocumentData {
  const data: DocumentData = {};
  for (const [key, value] of Object.entries(plain)) data[key] = decodeValue(value, db);
  return data;
}
