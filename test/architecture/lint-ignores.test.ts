/**
 * `npm run lint` lints the project's sources, never what the tools write: eslint reads no
 * .gitignore, so its configuration lists those folders itself. Each folder .gitignore names (the
 * bundles of `npm run bundle`, the running stack's copy, dist/, test output, ...) must be ignored by
 * eslint too, or lint fails after a build with thousands of findings in generated code.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { probeEslint } from '../support/lint-probe.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

/** The folders .gitignore names, with a file path inside each (`*` replaced by a sample name). */
function ignoredFolders(): string[] {
  return readFileSync(path.join(PROJECT_ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith('/') && !line.startsWith('#'))
    .map((folder) => `${folder.replace('*', 'sample')}generated.js`);
}

describe('lint ignores what the tools write', function () {
  this.timeout(60_000);

  it('ignores every folder .gitignore names, and still lints the sources', async () => {
    const eslint = probeEslint();
    const folders = ignoredFolders();
    expect(folders).to.include('bundles/generated.js');
    const linted: string[] = [];
    for (const file of folders) if (!(await eslint.isPathIgnored(path.join(PROJECT_ROOT, file)))) linted.push(file);
    expect(linted).to.deep.equal([]);
    expect(await eslint.isPathIgnored(path.join(PROJECT_ROOT, 'functions/runtime.ts'))).to.equal(false);
  });
});
