import { expect } from 'chai';
import { createLogger, runWithLogContext, traceContextFromHeaders } from '../../functions/platform/logger.js';
import { observeEvent } from '../../functions/platform/observe-event.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('DEBUG', {}, (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { lines, logger };
}

describe('structured logger', () => {
  it('reads the trace and span from traceparent, and from X-Cloud-Trace-Context (decimal span to hex)', () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(traceContextFromHeaders('p', { traceparent: `00-${trace}-00f067aa0ba902b7-01` })).to.deep.equal({
      trace: `projects/p/traces/${trace}`,
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    expect(traceContextFromHeaders('p', { 'x-cloud-trace-context': `${trace}/255;o=0` })).to.deep.equal({
      trace: `projects/p/traces/${trace}`,
      spanId: '00000000000000ff',
      sampled: false,
    });
    expect(traceContextFromHeaders('p', { 'x-cloud-trace-context': trace })?.trace).to.equal(`projects/p/traces/${trace}`);
    expect(traceContextFromHeaders('p', { traceparent: 'garbage' })).to.equal(undefined);
  });

  it('gives entries logged inside a request context its labels, trace and span', async () => {
    const { lines, logger } = capture();
    await runWithLogContext({ function: 'api', requestId: 'r1' }, { trace: 'projects/p/traces/t', spanId: 'abc' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.child({ assetId: 'a1' }).info('deep below the handler');
    });
    logger.info('outside');
    expect(lines[0]).to.include({
      severity: 'INFO',
      message: 'deep below the handler',
      'logging.googleapis.com/trace': 'projects/p/traces/t',
      'logging.googleapis.com/spanId': 'abc',
    });
    expect(lines[0]!['logging.googleapis.com/labels']).to.deep.equal({ function: 'api', requestId: 'r1', assetId: 'a1' });
    expect(lines[1]).to.not.have.property('logging.googleapis.com/trace');
    expect(lines[1]).to.not.have.property('logging.googleapis.com/labels');
  });

  it('marks ERROR entries with an Error for Error Reporting, with the stack', () => {
    const { lines, logger } = capture();
    logger.error('boom', { error: new TypeError('bad thing') });
    logger.warn('not reported', { error: new Error('soft') });
    expect(lines[0]!['@type']).to.equal('type.googleapis.com/google.devtools.clouderrorreporting.v1beta1.ReportedErrorEvent');
    expect(lines[0]!['stack_trace']).to.match(/^TypeError: bad thing\n\s+at /);
    expect(lines[1]).to.not.have.property('@type');
  });

  it('logs an event function outcome and duration, flushes metrics, and rethrows failures', async () => {
    const { lines, logger } = capture();
    let flushed = 0;
    const flush = async () => {
      flushed++;
    };
    expect(await observeEvent({ name: 'processAlbumArt', logger, labels: { jobId: 'j1' }, flush }, async () => 'done')).to.equal('done');
    let thrown: unknown;
    try {
      await observeEvent({ name: 'processAlbumArt', logger, labels: { jobId: 'j2' }, flush }, async () => {
        throw new Error('fetch failed');
      });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).to.equal('fetch failed');
    expect(flushed).to.equal(2);
    expect(lines[0]).to.include({ severity: 'INFO', message: 'processAlbumArt finished', outcome: 'ok' });
    expect(lines[0]!['durationMs']).to.be.a('number');
    expect(lines[0]!['logging.googleapis.com/labels']).to.deep.equal({ function: 'processAlbumArt', jobId: 'j1' });
    expect(lines[1]).to.include({ severity: 'ERROR', message: 'processAlbumArt failed', outcome: 'error' });
    expect(lines[1]!['logging.googleapis.com/labels']).to.deep.equal({ function: 'processAlbumArt', jobId: 'j2' });
  });
});
