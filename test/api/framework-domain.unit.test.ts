/**
 * functions-framework runs each HTTP call inside a node:domain; the API leaves it when a call starts
 * (functions/platform/framework-domain.ts), so what the call creates afterwards carries no domain.
 */
import { expect } from 'chai';
import domain from 'node:domain';
import { leaveFrameworkDomain } from '../../functions/platform/framework-domain.js';

const activeDomain = (): unknown => (process as NodeJS.Process & { domain?: unknown }).domain ?? null;

describe('leaving the framework domain', () => {
  it('leaves the domain a call runs in, so the callbacks it then creates run outside it', async () => {
    const framework = domain.create();
    const seen = await new Promise<{ before: unknown; after: unknown; callback: unknown }>((resolve) => {
      framework.run(() => {
        const before = activeDomain();
        leaveFrameworkDomain();
        const after = activeDomain();
        setImmediate(() => resolve({ before, after, callback: activeDomain() }));
      });
    });
    expect(seen.before).to.equal(framework);
    expect(seen.after).to.equal(null);
    expect(seen.callback).to.equal(null);
  });

  it('does nothing outside a domain', () => {
    expect(() => leaveFrameworkDomain()).not.to.throw();
    expect(activeDomain()).to.equal(null);
  });
});
