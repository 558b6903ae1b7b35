/**
 * Deterministic mongoexport lines (relaxed Extended JSON) in the shapes of the staging registry: the
 * old backend's fields, letter-form addresses, display names, JSON-string trainingData and rights,
 * `components: [""]` for the non-composites, composites named by their five components' letter-form
 * MFAs, and gaps in every path's numbering. Assets spread over every subcategory of G, S, L, M and W,
 * composites over every subcategory of C, each path numbered in order (as the old backend created
 * them), the composite share chosen by the caller: staging's 710 of 1,103, or less where C's 24
 * paths of 999 could not hold staging's share (100,000 assets).
 */
import { taxonomy } from '../../functions/domain/taxonomy/taxonomy.js';

const WORDS = [
  'pop',
  'dance',
  'neon',
  'urban',
  'smooth',
  'vocals',
  'energetic',
  'remix',
  'stage',
  'retro',
  'glow',
  'street',
  'chill',
  'anthem',
  'studio',
  'viral',
];

interface Path {
  layer: string;
  category: { code: string; number: number; name: string };
  subcategory: { code: string; number: number; name: string };
  next: number;
}

function pathsOf(layers: string[]): Path[] {
  return taxonomy.layers
    .filter((layer) => layers.includes(layer.code))
    .flatMap((layer) =>
      layer.categories.flatMap((category) => category.subcategories.map((subcategory) => ({ layer: layer.code, category, subcategory, next: 1 }))),
    );
}

const pad = (value: number): string => String(value).padStart(3, '0');

/** The next number of a path, leaving a gap every seventh (deleted assets). */
function take(path: Path): number {
  if (path.next % 7 === 0) path.next++;
  return path.next++;
}

function objectId(index: number): string {
  return `${(0x68600000 + index).toString(16)}5f3e9d1c2b${index.toString(16).padStart(6, '0')}`;
}

export function* stagingExportLines(count: number, compositeShare: number): Generator<string> {
  const assetPaths = pathsOf(['G', 'S', 'L', 'M', 'W']);
  const compositePaths = pathsOf(['C']);
  /** The latest letter-form MFA of each component layer: what the next composite is made of. */
  const latest = new Map<string, string>();
  let assets = 0;
  let composites = 0;
  for (let index = 0; index < count; index++) {
    const composite = Math.floor((index + 1) * compositeShare) > Math.floor(index * compositeShare) && latest.size > 0;
    const path = composite ? compositePaths[composites++ % compositePaths.length]! : assetPaths[assets++ % assetPaths.length]!;
    const sequence = take(path);
    const hfn = `${path.layer}.${path.category.code}.${path.subcategory.code}.${pad(sequence)}`;
    const address = `${path.layer}.${pad(path.category.number)}.${pad(path.subcategory.number)}.${pad(sequence)}`;
    const components = composite ? [...latest.values()] : [''];
    const name = composite ? `${hfn}:${components.join(':')}` : hfn;
    if (!composite) latest.set(path.layer, address);
    const created = Date.UTC(2025, 5, 20) + index * 37_000;
    const words = Array.from({ length: 24 }, (_, word) => WORDS[(index * 7 + word * 3) % WORDS.length]!);
    const document = {
      _id: { $oid: objectId(index) },
      layer: path.layer,
      category: path.category.name,
      subcategory: path.subcategory.name,
      name,
      nna_address: address,
      gcpStorageUrl: `https://storage.googleapis.com/nna_registry_assets_stg/${path.layer}/${path.category.code}/${path.subcategory.code}/${name}.mp4`,
      source: 'ReViz',
      tags: words.slice(0, 8).map((word, tag) => `${word}-${tag}`),
      description: `${words.join(' ')} asset ${index}`,
      trainingData: '{"prompts":[],"images":[],"videos":[]}',
      rights: '{"source":"Original","rights_split":"100%"}',
      components,
      registeredBy: `creator${index % 13}@celerity.studio`,
      createdAt: { $date: new Date(created).toISOString() },
      updatedAt: { $date: new Date(created + 3_600_000).toISOString() },
      __v: index % 3,
    };
    yield JSON.stringify(document);
  }
}
