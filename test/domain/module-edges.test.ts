/**
 * The album-art module's edges are enforced by the lint configuration: these imports are linted as
 * if they were in the named files, with the project's eslint.config.js.
 */
import { expect } from 'chai';
import path from 'node:path';
import { probeEslint } from '../support/lint-probe.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

async function restrictedImports(file: string, source: string): Promise<string[]> {
  const eslint = probeEslint();
  const [result] = await eslint.lintText(`${source}\nexport const used = value;\n`, { filePath: path.join(PROJECT_ROOT, file) });
  expect(result!.messages.filter((message) => message.fatal)).to.deep.equal([]);
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

describe('album-art module edges (eslint no-restricted-imports)', function () {
  this.timeout(60_000);

  it('refuses an import of an album-art internal from outside the module', async () => {
    expect(
      await restrictedImports('functions/http/edge-probe.ts', "import { AlbumArtProcessor as value } from '../album-art/album-art-processor.js';"),
    ).to.have.length(1);
    expect(await restrictedImports('functions/variants/edge-probe.ts', "import { claimJob as value } from '../album-art/job-claim.js';")).to.have.length(1);
    expect(
      await restrictedImports('functions/http/edge-probe.ts', "import type { AlbumArtStore as value } from '../album-art/ports/album-art-store.js';"),
    ).to.have.length(1);
  });

  it('accepts the public surface from outside the module', async () => {
    expect(await restrictedImports('functions/http/edge-probe.ts', "import { AlbumArtRequests as value } from '../album-art/index.js';")).to.deep.equal([]);
    expect(await restrictedImports('functions/http/edge-probe.ts', "import { OUTBOX_COLLECTION as value } from '../album-art/start-up.js';")).to.deep.equal([]);
  });

  it('refuses an import from the HTTP edge (functions/http/) inside the module, its types included', async () => {
    expect(await restrictedImports('functions/album-art/edge-probe.ts', "import { createRouter as value } from '../http/router.js';")).to.have.length(1);
    expect(
      await restrictedImports('functions/album-art/ports/edge-probe.ts', "import { toErrorResponse as value } from '../../http/error-response.js';"),
    ).to.have.length(1);
    expect(await restrictedImports('functions/album-art/edge-probe.ts', "import type { RouteContext as value } from '../http/http-types.js';")).to.have.length(
      1,
    );
  });
});
