/**
 * Document ids held compactly, for the importer's in-memory indexes: a 24-hex ObjectId (what every
 * imported asset's id is) as its 12 bytes in one growing Buffer, any other id (the API's own) as
 * its string in a side table. Each id held has a handle, a small integer (a Smi in V8, so a Map of
 * handles allocates nothing per entry); a released handle's slot is taken by the next id added.
 */
const OBJECT_ID_BYTES = 12;
/** Lower-case only: upper-case hex would not read back as it was written, so it goes to the side table. */
const OBJECT_ID = /^[0-9a-f]{24}$/;
const INITIAL_OBJECT_IDS = 1024;

export class CompactIds {
  private bytes = Buffer.alloc(OBJECT_ID_BYTES * INITIAL_OBJECT_IDS);
  private objectIds = 0;
  private readonly others: Array<string | undefined> = [];
  private readonly freeObjectIds: number[] = [];
  private readonly freeOthers: number[] = [];

  /** Holds `id`: its handle (even: an ObjectId slot; odd: a side-table slot). */
  add(id: string): number {
    if (OBJECT_ID.test(id)) {
      const slot = this.freeObjectIds.pop() ?? this.objectIds++;
      const end = (slot + 1) * OBJECT_ID_BYTES;
      if (end > this.bytes.length) {
        const grown = Buffer.alloc(this.bytes.length * 2);
        this.bytes.copy(grown);
        this.bytes = grown;
      }
      this.bytes.write(id, slot * OBJECT_ID_BYTES, OBJECT_ID_BYTES, 'hex');
      return slot * 2;
    }
    const slot = this.freeOthers.pop() ?? this.others.length;
    this.others[slot] = id;
    return slot * 2 + 1;
  }

  /** The id a handle holds (a new string each call). */
  get(handle: number): string {
    const slot = handle >>> 1;
    if ((handle & 1) === 0) return this.bytes.toString('hex', slot * OBJECT_ID_BYTES, (slot + 1) * OBJECT_ID_BYTES);
    return this.others[slot]!;
  }

  /** Gives a handle's slot back; the handle must not be used again. */
  release(handle: number): void {
    const slot = handle >>> 1;
    if ((handle & 1) === 0) this.freeObjectIds.push(slot);
    else {
      this.others[slot] = undefined;
      this.freeOthers.push(slot);
    }
  }
}
