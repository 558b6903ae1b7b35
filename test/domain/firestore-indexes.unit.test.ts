/** Every query the API can issue is backed by infra/firestore.indexes.json (the emulator never checks). */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describeShape, missingIndexFor, type IndexFile } from '../support/firestore-index-coverage.js';
import { allQueryShapes } from '../support/query-shapes.js';
import { PROJECT_ROOT } from '../support/test-environment.js';

function indexFile(): IndexFile {
  return JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'infra/firestore.indexes.json'), 'utf8')) as IndexFile;
}

function uncovered(file: IndexFile): string[] {
  return allQueryShapes()
    .map(({ source, shape }) => ({ source, problem: missingIndexFor(shape, file, 'assets') }))
    .filter((entry) => entry.problem !== undefined)
    .map((entry) => `${entry.source}: ${entry.problem}`);
}

describe('Firestore indexes', () => {
  it('back every listing, count and search query shape', () => {
    const shapes = allQueryShapes();
    expect(shapes.length).to.be.greaterThan(500);
    expect(uncovered(indexFile())).to.deep.equal([]);
  });

  it('holds no composite index that no query uses', () => {
    const file = indexFile();
    for (const [position] of file.indexes.entries()) {
      const without = { ...file, indexes: file.indexes.filter((_, index) => index !== position) };
      expect(uncovered(without), JSON.stringify(file.indexes[position]!.fields)).not.to.deep.equal([]);
    }
  });

  it('reports every search shape when the search index loses its composite index', () => {
    const withoutComposite = indexFile();
    withoutComposite.indexes = withoutComposite.indexes.filter((index) => index.fields[0]!.fieldPath !== '_sys.search');
    const problems = uncovered(withoutComposite);
    expect(problems).to.have.length.greaterThan(0);
    expect(problems.every((problem) => problem.startsWith('search '))).to.equal(true);
    expect(problems[0]).to.contain('no composite index _sys.search then createdAt DESCENDING');
  });

  it('keeps the search index to its composite index, and the fields of the earlier designs out of every index', () => {
    for (const field of ['_sys.search', '_sys.terms', '_sys.searchTerms']) {
      expect(indexFile().fieldOverrides.find((entry) => entry.collectionGroup === 'assets' && entry.fieldPath === field)?.indexes, field).to.deep.equal([]);
    }
  });

  it('keeps migration before-images out of every index', () => {
    const before = indexFile().fieldOverrides.find((entry) => entry.collectionGroup === 'history' && entry.fieldPath === 'before');
    expect(before?.indexes).to.deep.equal([]);
  });

  it('reports a listing that loses a single-field index to a field override', () => {
    const file = indexFile();
    file.fieldOverrides.push({ collectionGroup: 'assets', fieldPath: 'createdAt', indexes: [{ queryScope: 'COLLECTION', order: 'ASCENDING' }] });
    const problems = uncovered(file);
    expect(
      problems.some((problem) => problem.includes('"sortBy":"createdAt","sortOrder":"desc"') && problem.includes('single-field index disabled for createdAt')),
    ).to.equal(true);
  });

  it("backs the composite checks: the API's composites name components in `components`, imported ones in `_sys.components`", () => {
    const file = indexFile();
    expect(uncovered(file)).to.deep.equal([]);
    file.fieldOverrides.push({ collectionGroup: 'assets', fieldPath: '_sys.components', indexes: [] });
    expect(uncovered(file)).to.deep.equal(['softDelete composites naming _sys.components: single-field index disabled for _sys.components']);
  });

  it('describes shapes readably', () => {
    expect(
      describeShape({
        equality: [
          { field: 'layer', mode: 'equal' },
          { field: 'tags', mode: 'contains' },
        ],
        order: [{ field: 'name', direction: 'asc' }],
      }),
    ).to.equal('layer ==, tags CONTAINS, name ASCENDING');
  });
});
