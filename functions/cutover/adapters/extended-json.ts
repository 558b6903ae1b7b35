/**
 * MongoDB Extended JSON (what mongoexport writes, relaxed or canonical) to the plain JSON values the
 * old backend served: ObjectIds as their 24-hex string, dates as `toISOString()`, numbers as numbers.
 * Parsing is `bson`'s EJSON (canonical mode, so that every number arrives typed and a Long beyond
 * 2^53 is refused instead of rounded); a `$` key EJSON does not know, or a BSON type that has no
 * JSON value the old backend could have served (binary, decimal, regular expression...), is bad input.
 */
import { BSONError, EJSON } from 'bson';
import { ValidationError } from '../../domain/errors.js';
import type { LegacyDocument } from '../legacy-asset.js';
import type { SourceRecord } from '../ports.js';

interface BsonValue {
  _bsontype: string;
}

function isBsonValue(value: object): value is BsonValue {
  return typeof (value as Partial<BsonValue>)._bsontype === 'string';
}

const PROTOTYPE_KEY = '__proto__';

function plainOf(value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw ValidationError.single(path, 'is a $date that is not a valid date');
    return value.toISOString();
  }
  if (Array.isArray(value)) return value.map((entry, index) => plainOf(entry, `${path}[${index}]`));
  if (isBsonValue(value)) {
    const typed = value as BsonValue & { value?: unknown; toHexString?: () => string; toNumber?: () => number; toString(): string };
    switch (typed._bsontype) {
      case 'ObjectId':
        return typed.toHexString!();
      case 'Int32':
      case 'Double':
        return typed.value;
      case 'Long': {
        const number = typed.toNumber!();
        if (!Number.isSafeInteger(number))
          throw ValidationError.single(path, `is a $numberLong (${typed.toString()}) beyond the integers JSON numbers hold exactly`);
        return number;
      }
      default:
        throw ValidationError.single(path, `holds a BSON ${typed._bsontype}, which the old backend's JSON never served; it is not imported`);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key.startsWith('$')) throw ValidationError.single(path ? `${path}.${key}` : key, 'is an unknown Extended JSON type ($ keys are not field names)');
    // Assigned, `__proto__` would set the object's prototype instead of a field, and Firestore refuses the whole commit holding it.
    if (key === PROTOTYPE_KEY) throw ValidationError.single(path ? `${path}.${key}` : key, 'is a field name that cannot be stored');
    result[key] = plainOf(entry, path ? `${path}.${key}` : key);
  }
  return result;
}

function documentOf(value: unknown): LegacyDocument {
  const plain = plainOf(value, '');
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) throw ValidationError.single('(document)', 'is not a JSON object');
  return plain as LegacyDocument;
}

/** EJSON's own refusals (`{"$oid": "xyz"}`) as bad input, like every other problem of a document. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SyntaxError) throw ValidationError.single('(line)', `is not JSON (${error.message})`);
    if (error instanceof BSONError) throw ValidationError.single('(document)', `is not valid Extended JSON (${error.message})`);
    throw error;
  }
}

/** One line of a mongoexport file (or one whole document's text). */
export function decodeExtendedJsonText(text: string): LegacyDocument {
  return documentOf(parsed(() => EJSON.parse(text, { relaxed: false })));
}

/** A document already parsed as plain JSON (an element of a `--jsonArray` export, an item of the REST API). */
export function decodeExtendedJsonValue(value: unknown): LegacyDocument {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw ValidationError.single('(document)', 'is not a JSON object');
  return documentOf(parsed(() => EJSON.deserialize(value as Record<string, unknown>, { relaxed: false })));
}

/** The `_id` of a line that could not be decoded, when it can be seen in the text, to name it in the report. */
export function idInText(text: string): string | undefined {
  return /"_id"\s*:\s*(?:\{\s*"\$oid"\s*:\s*)?"([0-9a-fA-F]{24})"/.exec(text)?.[1];
}

/** A source record: the decoded document, or the bad input it is, named by its position and its id when that can be seen. */
export function recordAt(position: string, decode: () => LegacyDocument, idOf: () => string | undefined): SourceRecord {
  try {
    return { position, document: decode() };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const id = idOf();
    return { position, error: error.message, ...(id ? { id } : {}) };
  }
}
