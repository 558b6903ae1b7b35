/**
 * The largest valid create body: every field at (or near) its limit in the widest characters (three
 * bytes of UTF-8, one UTF-16 unit), about 0.65 MiB as JSON.stringify sends it. The body-limit test
 * stores it; the body-memory benchmark sends sixteen at once.
 */
const WIDE = '€';

export function largestValidAsset(): Record<string, unknown> {
  return {
    layer: 'S',
    category: 'Pop',
    subcategory: 'Base',
    source: 'ReViz',
    description: WIDE.repeat(2000),
    creatorDescription: WIDE.repeat(500),
    tags: Array.from({ length: 50 }, (_, index) => `${WIDE.repeat(60)}${index}`),
    metadata: { note: WIDE.repeat(65_000) },
    trainingData: { prompts: Array.from({ length: 16 }, () => WIDE.repeat(4000)), images: [], videos: [] },
    rights: { source: WIDE.repeat(200), rights_split: '100%', terms: WIDE.repeat(64_900) },
    aiMetadata: { generatedDescription: WIDE.repeat(4000), inputContext: WIDE.repeat(4000), notes: WIDE.repeat(8000) },
    extractedSongData: { songName: WIDE.repeat(300), albumName: WIDE.repeat(300), artistName: WIDE.repeat(300) },
  };
}
