import { expect } from 'chai';
import { isStorableDocumentId } from '../../functions/domain/asset-id.js';

describe('asset ids', () => {
  it('accept Firestore document ids', () => {
    for (const id of ['5qbtDy0TBkyGK5Uyunql', 'legacyStar0001', 'é🎵', '_x_', '__x', 'x'.repeat(1500)]) expect(isStorableDocumentId(id), id).to.equal(true);
  });

  it('refuse what Firestore cannot hold', () => {
    for (const id of ['', '/', 'a/b', '.', '..', '__name__', '__x__', 'x'.repeat(1501), 'é'.repeat(751)]) expect(isStorableDocumentId(id), id).to.equal(false);
  });
});
