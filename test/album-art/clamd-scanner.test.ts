/** The clamd adapter against a real clamd, over TCP and over its Unix socket. */
import { expect } from 'chai';
import { ClamdScanner, parseClamdReply } from '../../functions/adapters/clamd/clamd-scanner.js';
import { ScannerUnavailableError } from '../../functions/domain/ports/virus-scanner.js';
import { EICAR, startClamd, type Clamd } from '../support/clamd.js';

describe('clamd scanner', function () {
  this.timeout(60_000);
  let clamd: Clamd;
  before(async function () {
    this.timeout(90_000);
    clamd = await startClamd();
  });
  after(async () => clamd?.stop());

  for (const via of ['tcp', 'unix'] as const) {
    it(`finds EICAR and passes clean bytes over ${via}`, async () => {
      const scanner = new ClamdScanner(via === 'tcp' ? clamd.address : `unix:${clamd.socketPath}`, 10_000);
      expect(await scanner.scan(Buffer.from(`prefix ${EICAR}`))).to.deep.equal({ clean: false, signature: 'NNA.Test.EICAR.UNOFFICIAL' });
      expect(await scanner.scan(Buffer.alloc(300_000, 7))).to.deep.equal({ clean: true });
    });
  }

  it('reports an unreachable or confused scanner as unavailable', async () => {
    const error = await new ClamdScanner('unix:/nonexistent/clamd.sock', 1000).scan(Buffer.from('x')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).to.be.instanceOf(ScannerUnavailableError);
    expect(() => parseClamdReply('INSTREAM size limit exceeded. ERROR')).to.throw(ScannerUnavailableError);
  });
});
