/**
 * The local stack's sequence journal (domain/ports/sequence-journal.ts) as a file of JSON lines,
 * `{"assets":"assets","key":"S.POP.BAS","last":131}`, appended synchronously, so a line is on disk
 * before the transaction that uses its number commits, and survives the emulator's crash.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SequenceJournal } from '../../domain/ports/sequence-journal.js';

export interface SequenceMark {
  assets: string;
  key: string;
  last: number;
}

export class SequenceJournalFile implements SequenceJournal {
  constructor(private readonly file: string) {}

  given(assetsCollection: string, key: string, sequence: number): void {
    appendFileSync(this.file, `${JSON.stringify({ assets: assetsCollection, key, last: sequence } satisfies SequenceMark)}\n`);
  }
}

function isMark(value: unknown): value is SequenceMark {
  const mark = value as Partial<SequenceMark> | null;
  return typeof mark?.assets === 'string' && typeof mark.key === 'string' && Number.isInteger(mark.last);
}

/** The highest number noted for each counter; a line a crash cut short is no mark. */
export function sequenceMarksIn(file: string): SequenceMark[] {
  if (!existsSync(file)) return [];
  const highest = new Map<string, SequenceMark>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // An empty last line, or one the crash interrupted: its number's write cannot have committed.
      continue;
    }
    if (!isMark(parsed)) continue;
    const counter = `${parsed.assets}/${parsed.key}`;
    if ((highest.get(counter)?.last ?? -1) < parsed.last) highest.set(counter, parsed);
  }
  return [...highest.values()];
}

/** Rewrites the journal as its marks alone (one line per counter), replacing it in one rename. */
export function compactSequenceJournal(file: string, marks: readonly SequenceMark[]): void {
  const temporary = `${file}.${process.pid}.partial`;
  writeFileSync(temporary, marks.map((mark) => `${JSON.stringify(mark)}\n`).join(''));
  renameSync(temporary, file);
}
