/**
 * The lines of a byte stream, each at most `maxBytes` long and strictly UTF-8. readline would hold
 * a line of any length in memory (one 50 MB line exhausts the importer's heap) and turns bytes that
 * are not UTF-8 into U+FFFD without a word; here a longer line is counted and skipped without being
 * kept, and a line that is not UTF-8 is named, both as a line the caller reports.
 */
export type BoundedLine = { number: number; text: string } | { number: number; error: string };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export async function* boundedLines(input: AsyncIterable<Buffer>, maxBytes: number): AsyncIterable<BoundedLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let length = 0;
  let number = 0;

  const finish = (): BoundedLine => {
    number++;
    const kept = parts;
    const size = length;
    parts = [];
    length = 0;
    if (size > maxBytes) return { number, error: `is ${size} bytes long, more than the ${maxBytes} a line may hold: not read` };
    let bytes = Buffer.concat(kept, size);
    if (bytes.at(-1) === CARRIAGE_RETURN) bytes = bytes.subarray(0, -1);
    try {
      return { number, text: decoder.decode(bytes) };
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      return { number, error: 'holds bytes that are not UTF-8: not read (export it again as UTF-8)' };
    }
  };

  for await (const chunk of input) {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      // Past the bound the line's bytes are only counted: memory stays one bounded line.
      if (length + (end - start) <= maxBytes) parts.push(chunk.subarray(start, end));
      else parts = [];
      length += end - start;
      if (newline === -1) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (length > 0) yield finish();
}
