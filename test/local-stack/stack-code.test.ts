import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdirSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { useBundledApi } from '../support/bundled-api.js';
import { PROJECT_ROOT, TOKENS } from '../support/test-environment.js';

/** One request to each lazily loaded route group (functions/http/route-groups/route-groups.ts). */
function groupRequests(assetId: string): Array<{ path: string; token?: string }> {
  return [
    { path: '/api/health' },
    { path: '/api/taxonomy/layers' },
    { path: `/api/assets/${assetId}` },
    { path: '/api/assets?page=1&limit=5' },
    { path: '/api/admin/flags', token: TOKENS.admin },
    { path: '/api' },
    { path: '/api/auth/profile', token: TOKENS.editor },
    { path: '/api/openapi.json' },
  ];
}

/** What `npm run import`, `migrate` and `backfill` run before they start: the compile of dist/. */
function compileDist(): Promise<number | null> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/build/compile.ts')], { cwd: PROJECT_ROOT, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', resolve));
}

describe('the local stack runs its own copy of the code', function () {
  this.timeout(180_000);
  const api = useBundledApi('test');

  it('answers every lazily loaded route group 2xx while a command recompiles dist/ after an edit', async () => {
    const created = await fetch(`${api.url}/api/assets`, {
      method: 'POST',
      headers: { authorization: TOKENS.editor, 'content-type': 'application/json' },
      body: JSON.stringify({ layer: 'G', category: 'Pop', subcategory: 'Base', description: 'Stack code probe' }),
    });
    expect(created.status).to.equal(201);
    const { data } = (await created.json()) as { data: { id: string } };
    // The edit: every route group's source is newer than its output, so the compile replaces them all.
    const groups = path.join(PROJECT_ROOT, 'functions/http/route-groups');
    const now = new Date();
    for (const file of readdirSync(groups)) utimesSync(path.join(groups, file), now, now);

    let compiled = false;
    const compiling = compileDist().then((code) => {
      compiled = true;
      return code;
    });
    const answers: string[] = [];
    // Rounds while the compile runs, and one after it: the last one always happens.
    for (let lastRound = false; !lastRound;) {
      lastRound = compiled;
      for (const request of groupRequests(data.id)) {
        const reply = await fetch(`${api.url}${request.path}`, request.token ? { headers: { authorization: request.token } } : {});
        await reply.arrayBuffer();
        if (reply.status >= 300) answers.push(`${request.path}: ${reply.status}`);
      }
    }
    expect(await compiling).to.equal(0);
    expect(answers).to.deep.equal([]);
    expect(api.running()).to.equal(true);
  });
});
