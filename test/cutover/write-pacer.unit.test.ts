import { expect } from 'chai';
import { RAMP_STEP_MS, WritePacer, type Clock } from '../../functions/cutover/write-pacer.js';

/** A clock that only moves when the pacer sleeps: what each commit waited is recorded, nothing waits for real. */
function fakeClock(): Clock & { waits: number[]; at: number } {
  const clock = {
    at: 1_000_000,
    waits: [] as number[],
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.waits.push(ms);
      clock.at += ms;
    },
  };
  return clock;
}

describe('import: write pacing (a fake clock, nothing timed)', () => {
  it("follows Firestore's ramp by default: 500 operations a second, 50% more every 5 minutes", async () => {
    const clock = fakeClock();
    const pacer = new WritePacer({ kind: 'ramp' }, clock);
    for (let commit = 0; commit < 4; commit++) await pacer.take(250);
    // The first commit goes at once; each next one waits for the 250 / 500 s the one before reserved.
    expect(clock.waits).to.deep.equal([500, 500, 500]);
    expect(pacer.rateAt(0)).to.equal(500);
    expect(pacer.rateAt(RAMP_STEP_MS - 1)).to.equal(500);
    expect(pacer.rateAt(RAMP_STEP_MS)).to.equal(750);
    expect(pacer.rateAt(2 * RAMP_STEP_MS)).to.equal(1125);
    clock.at += 2 * RAMP_STEP_MS;
    clock.waits.length = 0;
    await pacer.take(1125);
    await pacer.take(1125);
    expect(clock.waits).to.deep.equal([1000]);
  });

  it('keeps a fixed rate, and waits only for what the rate has not yet allowed', async () => {
    const clock = fakeClock();
    const pacer = new WritePacer({ kind: 'fixed', perSecond: 100 }, clock);
    await pacer.take(50);
    clock.at += 200;
    await pacer.take(50);
    await pacer.take(10);
    expect(clock.waits).to.deep.equal([300, 500]);
  });

  it('never waits when lifted (the benchmark)', async () => {
    const clock = fakeClock();
    const pacer = new WritePacer({ kind: 'unlimited' }, clock);
    for (let commit = 0; commit < 100; commit++) await pacer.take(500);
    expect(clock.waits).to.deep.equal([]);
  });
});
