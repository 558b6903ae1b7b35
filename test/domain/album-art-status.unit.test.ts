import { expect } from 'chai';
import { transition, type StatusChange } from '../../functions/album-art/index.js';
import type { AlbumArt } from '../../functions/domain/schemas/album-art.js';

const at = '2025-01-01T00:00:00.000Z';

function run(changes: StatusChange[]): { art: AlbumArt | undefined; outcomes: string[] } {
  let art: AlbumArt | undefined;
  const outcomes: string[] = [];
  for (const change of changes) {
    const outcome = transition(art, change);
    outcomes.push(outcome.applied ? 'applied' : outcome.reason);
    if (outcome.applied) art = outcome.albumArt;
  }
  return { art, outcomes };
}

describe('album-art status machine', () => {
  it('moves a job forward through every status once', () => {
    const { art, outcomes } = run(['pending', 'processing', 'stored', 'ready'].map((status) => ({ status, jobId: 'j1', at }) as StatusChange));
    expect(outcomes).to.deep.equal(['applied', 'applied', 'applied', 'applied']);
    expect(art!.status).to.equal('ready');
    expect(art!.statusHistory!.map((entry) => entry.status)).to.deep.equal(['pending', 'processing', 'stored', 'ready']);
  });

  it('ignores duplicates, late deliveries and changes after the end', () => {
    const { art, outcomes } = run([
      { status: 'pending', jobId: 'j1', at },
      { status: 'processing', jobId: 'j1', at },
      { status: 'processing', jobId: 'j1', at },
      { status: 'stored', jobId: 'j1', at },
      { status: 'processing', jobId: 'j1', at },
      { status: 'ready', jobId: 'j1', at },
      { status: 'failed', jobId: 'j1', at },
      { status: 'stored', jobId: 'j1', at },
    ]);
    expect(outcomes).to.deep.equal(['applied', 'applied', 'duplicate', 'applied', 'backwards', 'applied', 'terminal', 'terminal']);
    expect(art!.statusHistory).to.have.length(4);
  });

  it('starts a new job over at pending and refuses the old job afterwards', () => {
    const { art, outcomes } = run([
      { status: 'pending', jobId: 'j1', at },
      { status: 'failed', jobId: 'j1', at, fields: { error: { code: 'NOT_AN_IMAGE', message: 'x', attempts: 1 } } },
      { status: 'pending', jobId: 'j2', at },
      { status: 'processing', jobId: 'j1', at },
    ]);
    expect(outcomes).to.deep.equal(['applied', 'applied', 'applied', 'stale-job']);
    expect(art).to.include({ status: 'pending', jobId: 'j2' });
    expect(art).not.to.have.property('error');
  });
});
