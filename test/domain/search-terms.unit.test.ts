import { expect } from 'chai';
import type { AssetDocument } from '../../functions/domain/schemas/asset.js';
import { wordsOf } from '../../functions/domain/search/normalize.js';
import { indexDecides, matchTierOf, parseSearchWords, storedTiersOf, termsMatch, MAX_QUERY_WORDS } from '../../functions/domain/search/search-query.js';
import {
  MAX_PREFIX_LENGTH,
  MAX_TERMS_PER_DOCUMENT,
  searchIndexOf,
  searchTermsOf,
  SEARCH_TIERS,
  withSearchIndex,
} from '../../functions/domain/search/search-terms.js';
import { ValidationError } from '../../functions/domain/errors.js';

function documentWith(fields: Partial<AssetDocument>): AssetDocument {
  return {
    name: 'S.POP.BAS.001',
    nna_address: '2.001.001.001',
    layer: 'S',
    category: 'Pop',
    subcategory: 'Base',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...fields,
  };
}

function finds(document: AssetDocument, text: string): boolean {
  return termsMatch(searchTermsOf(document), parseSearchWords(text)!);
}

describe('search terms', () => {
  it('normalizes case, accents, apostrophes and punctuation', () => {
    expect(wordsOf("Beyoncé's  CAFÉ-Crème, naïve!")).to.deep.equal(['beyonces', 'cafe', 'creme', 'naive']);
    expect(wordsOf('S.POP.BAS.001')).to.deep.equal(['s', 'pop', 'bas', '001']);
    expect(wordsOf('  ... ')).to.deep.equal([]);
  });

  for (const [field, document] of [
    ['name (HFN)', documentWith({ name: 'S.RCK.XYZ.007' })],
    ['description', documentWith({ description: 'Bohemian Rhapsody cover' })],
    ['creatorDescription', documentWith({ creatorDescription: 'A bohemian rhapsody in the rain' })],
    ['tags', documentWith({ tags: ['bohemian', 'rhapsody'] })],
    ['extractedSongData.songName', documentWith({ extractedSongData: { songName: 'Bohemian Rhapsody' } })],
    ['extractedSongData.artistName', documentWith({ extractedSongData: { artistName: 'Bohemian Rhapsody Band' } })],
    ['extractedSongData.albumName', documentWith({ extractedSongData: { albumName: 'A Night at the Bohemian Rhapsody' } })],
  ] as const) {
    it(`indexes ${field}`, () => {
      const text = field === 'name (HFN)' ? 'rck xyz 00' : 'bohem rhaps';
      expect(finds(document, text), text).to.equal(true);
      expect(finds(documentWith({}), text)).to.equal(false);
    });
  }

  it('matches every word as the start of a word, in any order', () => {
    const document = documentWith({ description: 'Bohemian Rhapsody by Queen' });
    expect(finds(document, 'BOHÉMIAN rhaps')).to.equal(true);
    expect(finds(document, 'queen bohemian')).to.equal(true);
    expect(finds(document, 'q')).to.equal(true);
    expect(finds(document, 'bohemian rhapsody king')).to.equal(false);
    expect(finds(document, 'rhapsody x')).to.equal(false);
    expect(finds(document, 'hemian')).to.equal(false);
  });

  it('matches a last word longer than the stored prefixes against whole words', () => {
    const document = documentWith({ description: 'supercalifragilisticexpialidocious' });
    expect('supercalifragilisticexpialidocious'.length).to.be.greaterThan(MAX_PREFIX_LENGTH);
    expect(finds(document, 'supercalifragilisticexp')).to.equal(true);
    expect(finds(document, 'supercalifragilisticexq')).to.equal(false);
  });

  it('caps the terms per document, keeping every whole word before shorter prefixes', () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}x`);
    const document = documentWith({ creatorDescription: words.join(' ') });
    const terms = searchTermsOf(document);
    expect(terms).to.have.length(MAX_TERMS_PER_DOCUMENT);
    for (const word of words) expect(finds(document, word), word).to.equal(true);
  });

  it('stores each term once, in the best field holding it: name, tags, creatorDescription, description, song data', () => {
    expect(SEARCH_TIERS).to.deep.equal(['name', 'tags', 'creatorDescription', 'description', 'song']);
    const document = documentWith({
      name: 'S.POP.BAS.001',
      tags: ['popstar', 'blue'],
      creatorDescription: 'blues night',
      description: 'popstar blues night queen',
      extractedSongData: { songName: 'Queen Bee', artistName: 'Zed' },
    });
    const tokens = searchIndexOf(document);
    expect(tokens).to.include.members(['n:pop*', 'n:p*', 't:popstar*', 't:pops*', 't:blue*', 'c:blues*', 'c:night*', 'd:queen*', 's:bee*', 's:zed*']);
    expect(new Set(tokens.map((token) => token.slice(2))).size, 'one token per term').to.equal(tokens.length);
    const tiers = storedTiersOf(withSearchIndex(document));
    expect(matchTierOf(tiers, ['pop'])).to.equal(0);
    expect(matchTierOf(tiers, ['blues'])).to.equal(2);
    expect(matchTierOf(tiers, ['queen', 'blues'])).to.equal(2);
    expect(matchTierOf(tiers, ['zed'])).to.equal(4);
  });

  it('lets the index alone decide one word no longer than the stored prefixes', () => {
    expect(indexDecides(parseSearchWords('bohemian')!)).to.equal(true);
    expect(indexDecides(parseSearchWords('bohemian rhaps')!)).to.equal(false);
    expect(indexDecides(parseSearchWords('supercalifragilisticexp')!)).to.equal(false);
  });

  it(`refuses more than ${MAX_QUERY_WORDS} words and ignores a text without words`, () => {
    expect(() => parseSearchWords('a b c d e f g h i')).to.throw(ValidationError);
    expect(parseSearchWords(' -- ')).to.equal(undefined);
  });
});
