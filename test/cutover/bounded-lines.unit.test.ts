import { expect } from 'chai';
import { Readable } from 'node:stream';
import { boundedLines, type BoundedLine } from '../../functions/cutover/adapters/bounded-lines.js';
import { canonicalNameOf } from '../../functions/cutover/legacy-asset.js';

async function linesOf(chunks: Buffer[], maxBytes: number): Promise<BoundedLine[]> {
  const lines: BoundedLine[] = [];
  for await (const line of boundedLines(Readable.from(chunks), maxBytes)) lines.push(line);
  return lines;
}

describe('import: export lines, bounded in length and strictly UTF-8', () => {
  it('splits lines across chunks, drops a carriage return, and keeps a last line without a newline', async () => {
    const lines = await linesOf([Buffer.from('ab'), Buffer.from('c\r\nde'), Buffer.from('f\n\ng')], 10);
    expect(lines).to.deep.equal([
      { number: 1, text: 'abc' },
      { number: 2, text: 'def' },
      { number: 3, text: '' },
      { number: 4, text: 'g' },
    ]);
  });

  it('reports a line longer than the bound by its length, holding none of it, and reads on', async () => {
    const lines = await linesOf([Buffer.from('short\n'), Buffer.alloc(5, 'x'), Buffer.alloc(7, 'y'), Buffer.from('\nnext\n')], 10);
    expect(lines).to.deep.equal([
      { number: 1, text: 'short' },
      { number: 2, error: 'is 12 bytes long, more than the 10 a line may hold: not read' },
      { number: 3, text: 'next' },
    ]);
  });

  it('reports a line that is not UTF-8 instead of turning it into U+FFFD, and keeps a character split across chunks', async () => {
    const euro = Buffer.from('€');
    const lines = await linesOf([Buffer.from([0x61, 0xc3, 0x28, 0x0a]), euro.subarray(0, 1), euro.subarray(1), Buffer.from('\n')], 10);
    expect(lines).to.deep.equal([
      { number: 1, error: 'holds bytes that are not UTF-8: not read (export it again as UTF-8)' },
      { number: 2, text: '€' },
    ]);
  });
});

describe('import: names in their canonical form', () => {
  it('writes the sequence in three digits or more without leading zeros, upper-cased, before any colon', () => {
    expect(canonicalNameOf('S.POP.BAS.0001')).to.equal('S.POP.BAS.001');
    expect(canonicalNameOf('s.pop.bas.1')).to.equal('S.POP.BAS.001');
    expect(canonicalNameOf('S.POP.BAS.0600')).to.equal('S.POP.BAS.600');
    expect(canonicalNameOf('S.POP.BAS.1000')).to.equal('S.POP.BAS.1000');
    expect(canonicalNameOf('S.POP.BAS.000')).to.equal('S.POP.BAS.000');
    expect(canonicalNameOf('C.FUL.POP.0125:G.003.003.001')).to.equal('C.FUL.POP.125');
    expect(canonicalNameOf(' not an hfn ')).to.equal('NOT AN HFN');
  });
});
