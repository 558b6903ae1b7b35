/**
 * A mongoexport file of the old backend's assets: one Extended JSON document a line (the default), or
 * one JSON array (`--jsonArray`), told apart by the file's first character. Both are streamed, never
 * read whole: lines bounded in length (bounded-lines.ts), array elements through stream-json. A line that is not a
 * document is reported with its line number and the rest is read. An array that stops being JSON
 * cannot be read past that point (nor can the parser say which elements before it were whole), so
 * `open` reads an array once through before anything is written and refuses a broken one (exit 2).
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import parser from 'stream-json/parser.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import type { LegacyAssetSource, SourceRecord } from '../ports.js';
import { LegacySourceError } from '../source-error.js';
import { boundedLines } from './bounded-lines.js';
import { decodeExtendedJsonText, decodeExtendedJsonValue, idInText, recordAt } from './extended-json.js';

type Format = 'lines' | 'array';

/**
 * The longest line read: a document Firestore stores is at most 1 MiB, and its canonical Extended
 * JSON a few times that. A longer line is refused by its length before it is held in memory.
 */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

function idOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const id = (value as Record<string, unknown>)['_id'];
  if (typeof id === 'string') return id;
  const oid = id !== null && typeof id === 'object' ? (id as Record<string, unknown>)['$oid'] : undefined;
  return typeof oid === 'string' ? oid : undefined;
}

export class MongoexportFileSource implements LegacyAssetSource {
  readonly label: string;
  private format: Format = 'lines';
  private size = 0;
  private bytesRead = 0;

  constructor(private readonly file: string) {
    this.label = path.basename(file);
  }

  async open(): Promise<void> {
    let handle;
    try {
      const info = await stat(this.file);
      if (!info.isFile()) throw new LegacySourceError(`${this.file} is not a file`);
      this.size = info.size;
      handle = await open(this.file, 'r');
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      const first = buffer
        .subarray(0, bytesRead)
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimStart()[0];
      if (first !== undefined && first !== '{' && first !== '[')
        throw new LegacySourceError(`${this.file} is not a mongoexport file (it starts with neither { nor [)`);
      this.format = first === '[' ? 'array' : 'lines';
      if (this.format === 'array') await this.checkArray();
    } catch (error) {
      if (error instanceof LegacySourceError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string') throw new LegacySourceError(`cannot read ${this.file}: ${code} (${(error as Error).message})`);
      throw error;
    } finally {
      await handle?.close();
    }
  }

  progress(): number | undefined {
    return this.size > 0 ? Math.min(1, this.bytesRead / this.size) : undefined;
  }

  records(): AsyncIterable<SourceRecord> {
    return this.format === 'array' ? this.arrayElements() : this.lines();
  }

  private stream() {
    const input = createReadStream(this.file, { highWaterMark: 256 * 1024 });
    input.on('data', (chunk) => (this.bytesRead += chunk.length));
    return input;
  }

  private async *lines(): AsyncIterable<SourceRecord> {
    for await (const line of boundedLines(this.stream(), MAX_LINE_BYTES)) {
      const position = `line ${line.number}`;
      if ('error' in line) {
        yield { position, error: `(line): ${line.error}` };
        continue;
      }
      const text = line.number === 1 ? line.text.replace(/^\uFEFF/, '') : line.text;
      if (text.trim() === '') continue;
      yield recordAt(
        position,
        () => decodeExtendedJsonText(text),
        () => idInText(text),
      );
    }
  }

  /**
   * One pass over the array's tokens, keeping none (strings arrive in chunks, never whole): a file
   * that is not JSON, or an element longer than MAX_LINE_BYTES (which the element pass would hold
   * whole in memory), throws a LegacySourceError.
   */
  private async checkArray(): Promise<void> {
    let depth = 0;
    let element = 0;
    let size = 0;
    try {
      for await (const token of createReadStream(this.file).pipe(parser.asStream({ packValues: false, streamValues: true }))) {
        const { name, value } = token as { name: string; value?: unknown };
        // Directly in the top-level array, a value's first token starts the next element.
        if (depth === 1 && (name.startsWith('start') || name.endsWith('Value'))) {
          element++;
          size = 0;
        }
        size += typeof value === 'string' ? Buffer.byteLength(value) : 1;
        if (name === 'startObject' || name === 'startArray') depth++;
        else if (name === 'endObject' || name === 'endArray') depth--;
        if (size > MAX_LINE_BYTES) throw new LegacySourceError(`${this.file}: element ${element} is longer than ${MAX_LINE_BYTES} bytes; it is not read`);
      }
    } catch (error) {
      if (error instanceof LegacySourceError) throw error;
      // stream-json's parser refuses text that is not JSON with these messages.
      if (!/^Parser (cannot parse input|has expected)|^Top-level object should be an array/.test((error as Error).message)) throw error;
      throw new LegacySourceError(`${this.file} is not a JSON array (${(error as Error).message}); export it again`);
    }
  }

  private async *arrayElements(): AsyncIterable<SourceRecord> {
    for await (const item of this.stream().pipe(streamArray.withParserAsStream())) {
      const { key, value } = item as { key: number; value: unknown };
      yield recordAt(
        `element ${key + 1}`,
        () => decodeExtendedJsonValue(value),
        () => idOf(value),
      );
    }
  }
}
