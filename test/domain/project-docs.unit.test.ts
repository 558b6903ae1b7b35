import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/test-environment.js';

const read = (file: string): string => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const docs = readdirSync(path.join(PROJECT_ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);

describe('the README front page and docs/', () => {
  it('keeps the README under 150 lines', () => {
    expect(read('README.md').split('\n').length).to.be.lessThan(150);
  });

  it('has one file per reference topic', () => {
    for (const topic of ['architecture', 'api', 'album-art', 'variants', 'search', 'migrations', 'operations', 'deployment', 'configuration']) {
      expect(docs).to.include(`docs/${topic}.md`);
    }
  });

  it('links only to files that exist, and never to an issue number', () => {
    for (const file of ['README.md', ...docs]) {
      const text = read(file);
      expect(text, file).not.to.match(/\bissues? #?\d+/i);
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        expect(existsSync(path.join(PROJECT_ROOT, path.dirname(file), target!)), `${file} -> ${target}`).to.equal(true);
      }
    }
  });

  it('names each configuration variable once', () => {
    const variables = [...read('docs/configuration.md').matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]);
    expect(variables.length).to.be.greaterThan(20);
    expect(variables.filter((name, index) => variables.indexOf(name) !== index)).to.deep.equal([]);
  });

  it("approves the node@22 package's install script explicitly (npm's allowScripts)", () => {
    const manifest = JSON.parse(read('package.json')) as { allowScripts?: Record<string, boolean>; devDependencies: Record<string, string> };
    expect(manifest.devDependencies).to.have.property('node');
    expect(manifest.allowScripts).to.deep.include({ node: true });
  });
});
