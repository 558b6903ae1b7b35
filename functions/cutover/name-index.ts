/**
 * Name key (a base HFN, upper-cased) -> the id of the asset holding it: what the name-conflict check
 * and verify compare against, one entry per asset of the target and of the import, so it is the
 * importer's one structure that grows with the number of assets. Held compactly (about 45 bytes a
 * name instead of some 180 as a Map of strings, measured in bench/REPORT.md): a key of the form
 * `<prefix>.<three digits>` (every HFN of the taxonomy, `G.POP.TSW.001`) is packed into one number,
 * the prefix's index times 1,000 plus the digits, and ids are CompactIds handles, so the entries are
 * small integers rather than strings. Exact: the packing is one to one (the same prefix and digits
 * are the same text), other keys (four-digit sequences, names outside the taxonomy) are kept as
 * strings, and ids are compared whole, never by a hash.
 */
import { CompactIds } from './compact-ids.js';

const SEQUENCE_DIGITS = 3;
const SEQUENCE_SPAN = 10 ** SEQUENCE_DIGITS;
const DOT = 0x2e;
const ZERO = 0x30;
/** Packed keys stay below 2^30, V8's small-integer range, so the Map holds no boxed numbers. */
const MAX_PREFIXES = Math.floor(2 ** 30 / SEQUENCE_SPAN);

export class NameIndex {
  private readonly prefixes = new Map<string, number>();
  private readonly packed = new Map<number, number>();
  /** Keys that do not pack, by their text. */
  private readonly unpacked = new Map<string, number>();
  private readonly ids = new CompactIds();

  get size(): number {
    return this.packed.size + this.unpacked.size;
  }

  has(key: string): boolean {
    return this.handleOf(key) !== undefined;
  }

  /** The id of the asset holding `key`, if any. */
  get(key: string): string | undefined {
    const handle = this.handleOf(key);
    return handle === undefined ? undefined : this.ids.get(handle);
  }

  set(key: string, id: string): void {
    const packedKey = this.packedKeyOf(key, true);
    const previous = packedKey === undefined ? this.unpacked.get(key) : this.packed.get(packedKey);
    if (previous !== undefined) {
      if (this.ids.get(previous) === id) return;
      this.ids.release(previous);
    }
    const handle = this.ids.add(id);
    if (packedKey === undefined) this.unpacked.set(key, handle);
    else this.packed.set(packedKey, handle);
  }

  delete(key: string): void {
    const packedKey = this.packedKeyOf(key, false);
    const handle = packedKey === undefined ? this.unpacked.get(key) : this.packed.get(packedKey);
    if (handle === undefined) return;
    this.ids.release(handle);
    if (packedKey === undefined) this.unpacked.delete(key);
    else this.packed.delete(packedKey);
  }

  private handleOf(key: string): number | undefined {
    const packedKey = this.packedKeyOf(key, false);
    return packedKey === undefined ? this.unpacked.get(key) : this.packed.get(packedKey);
  }

  /**
   * The number a `<prefix>.<three digits>` key packs into, or undefined for a key kept as text.
   * A prefix gets its index when a key of it is first set (`intern`); a prefix never set packs
   * nothing, so its keys are looked up (and, once the prefixes are full, kept) as text.
   */
  private packedKeyOf(key: string, intern: boolean): number | undefined {
    const dot = key.length - SEQUENCE_DIGITS - 1;
    if (dot < 1 || key.charCodeAt(dot) !== DOT) return undefined;
    let sequence = 0;
    for (let at = dot + 1; at < key.length; at++) {
      const digit = key.charCodeAt(at) - ZERO;
      if (digit < 0 || digit > 9) return undefined;
      sequence = sequence * 10 + digit;
    }
    const prefix = key.slice(0, dot);
    let index = this.prefixes.get(prefix);
    if (index === undefined) {
      if (!intern || this.prefixes.size >= MAX_PREFIXES) return undefined;
      index = this.prefixes.size;
      this.prefixes.set(prefix, index);
    }
    return index * SEQUENCE_SPAN + sequence;
  }
}
