/**
 * The taxonomy, enveloped for the ReViz app and raw where the web frontend's taxonomy services
 * read it raw (sync: health, version, index, counts; conversions; the layer map). Where one path
 * serves both, the envelope stays and the raw fields are added beside it, except for
 * `GET /api/taxonomy/layers`, whose raw shape (`{G: "Songs", ...}`, read with Object.keys) cannot
 * carry an envelope: there the raw shape wins, as the OpenAPI document says.
 */
import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import { parseAddress, toHfn, toMfa } from '../../domain/naming.js';
import type { Category, Layer, Taxonomy, TaxonomyEntry } from '../../domain/taxonomy/taxonomy.js';
import { readBody } from '../request-body.js';
import type { Route } from '../router.js';
import { parseOrThrow } from '../../domain/validation.js';
import { TAXONOMY } from '../endpoints.js';

const CONVERT_BODY_LIMIT = 4 * 1024;

const entrySchema = z.object({ code: z.string(), name: z.string(), number: z.number().int(), numericCode: z.string() }).meta({ id: 'TaxonomyEntry' });

const layerMapSchema = z.record(z.string(), z.string()).meta({ id: 'TaxonomyLayerMap', description: 'Layer code to display name' });

const entriesWithRawSchema = (key: 'categories' | 'subcategories') =>
  z.object({ success: z.literal(true), data: z.array(entrySchema), [key]: z.array(entrySchema), count: z.number().int() });

const taxonomyHealthSchema = z
  .object({
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    version: z.string(),
    uptime: z.number().meta({ description: 'seconds since this instance started' }),
    checks: z.object({ database: z.boolean(), cache: z.boolean(), files: z.boolean() }),
  })
  .meta({ id: 'TaxonomyHealth' });

const taxonomyVersionSchema = z.object({ version: z.string(), lastUpdated: z.string() }).meta({ id: 'TaxonomyVersion' });

const taxonomyIndexSchema = z
  .object({
    version: z.string(),
    lastUpdated: z.string(),
    totalLayers: z.number().int(),
    layers: z.record(
      z.string(),
      z.object({
        totalCategories: z.number().int(),
        totalSubcategories: z.number().int(),
        categories: z.record(z.string(), z.object({ subcategoryCount: z.number().int() })),
      }),
    ),
    source: z.literal('backend'),
  })
  .meta({ id: 'TaxonomyIndex' });

export const hfnToMfaSchema = z.object({ hfn: z.string().trim().min(1).max(400) }).meta({ id: 'HfnToMfaRequest' });
export const mfaToHfnSchema = z.object({ mfa: z.string().trim().min(1).max(400) }).meta({ id: 'MfaToHfnRequest' });
const conversionSchema = z.object({ success: z.literal(true), hfn: z.string(), mfa: z.string() }).meta({ id: 'AddressConversion' });

function entryView(entry: TaxonomyEntry) {
  return { code: entry.code, name: entry.name, number: entry.number, numericCode: String(entry.number).padStart(3, '0') };
}

function subcategoryTotal(layer: Layer): number {
  return layer.categories.reduce((total, category) => total + category.subcategories.length, 0);
}

export function taxonomyRoutes(taxonomy: Taxonomy): Route[] {
  // The taxonomy ships with the code: it changes only with a deploy, so this instance's start is its date.
  const loadedAt = new Date().toISOString();
  const startedAt = Date.now();
  const layerOr404 = (value: string): Layer => {
    const layer = taxonomy.findLayer(value);
    if (!layer) throw new NotFoundError(`No layer ${value}`);
    return layer;
  };
  const categoryOr404 = (layer: Layer, value: string): Category => {
    const category = taxonomy.findCategory(layer, value);
    if (!category) throw new NotFoundError(`No category ${value} in layer ${layer.code}`);
    return category;
  };
  const convert = async (body: unknown, to: 'mfa' | 'hfn') => {
    const text = to === 'mfa' ? parseOrThrow(hfnToMfaSchema, body).hfn : parseOrThrow(mfaToHfnSchema, body).mfa;
    const parsed = parseAddress(taxonomy, text, to === 'mfa' ? 'hfn' : 'mfa');
    return { raw: { success: true, hfn: toHfn(parsed), mfa: toMfa(parsed) } };
  };
  return [
    {
      ...TAXONOMY.layers,
      access: 'public',
      summary: 'The layers as { code: name } (raw: the web frontend reads the keys as the layer codes)',
      rawResponse: layerMapSchema,
      handler: async () => ({ raw: Object.fromEntries(taxonomy.layers.map((layer) => [layer.code, layer.name])) }),
    },
    {
      ...TAXONOMY.categories,
      access: 'public',
      summary: "A layer's categories (layer by code or name); `categories` and `count` beside the envelope for the web frontend",
      response: z.array(entrySchema),
      rawResponse: entriesWithRawSchema('categories'),
      errors: [404],
      handler: async ({ params }) => {
        const categories = layerOr404(params['layer']!).categories.map(entryView);
        return { raw: { success: true, data: categories, categories, count: categories.length } };
      },
    },
    {
      ...TAXONOMY.subcategories,
      access: 'public',
      summary: "A category's subcategories (codes or names); `subcategories` and `count` beside the envelope for the web frontend",
      response: z.array(entrySchema),
      rawResponse: entriesWithRawSchema('subcategories'),
      errors: [404],
      handler: async ({ params }) => {
        const layer = layerOr404(params['layer']!);
        const subcategories = categoryOr404(layer, params['category']!).subcategories.map(entryView);
        return { raw: { success: true, data: subcategories, subcategories, count: subcategories.length } };
      },
    },
    {
      ...TAXONOMY.health,
      access: 'public',
      summary: "The taxonomy's health (raw, for the web frontend's taxonomy sync); the taxonomy ships with the code",
      rawResponse: taxonomyHealthSchema,
      handler: async () => ({
        raw: {
          status: 'healthy',
          version: taxonomy.version,
          uptime: Math.round((Date.now() - startedAt) / 1000),
          checks: { database: true, cache: true, files: taxonomy.layers.length > 0 },
        },
        headers: { 'Cache-Control': 'no-store' },
      }),
    },
    {
      ...TAXONOMY.version,
      access: 'public',
      summary: 'The taxonomy version (raw, for the web frontend)',
      rawResponse: taxonomyVersionSchema,
      handler: async () => ({ raw: { version: taxonomy.version, lastUpdated: loadedAt } }),
    },
    {
      ...TAXONOMY.index,
      access: 'public',
      summary: 'Counts per layer and category (raw, for the web frontend)',
      rawResponse: taxonomyIndexSchema,
      handler: async () => ({
        raw: {
          version: taxonomy.version,
          lastUpdated: loadedAt,
          totalLayers: taxonomy.layers.length,
          layers: Object.fromEntries(
            taxonomy.layers.map((layer) => [
              layer.code,
              {
                totalCategories: layer.categories.length,
                totalSubcategories: subcategoryTotal(layer),
                categories: Object.fromEntries(layer.categories.map((category) => [category.code, { subcategoryCount: category.subcategories.length }])),
              },
            ]),
          ),
          source: 'backend',
        },
      }),
    },
    {
      ...TAXONOMY.layerCount,
      access: 'public',
      summary: 'How many layers, and their codes (raw)',
      rawResponse: z.object({ count: z.number().int(), layers: z.array(z.string()) }),
      handler: async () => ({ raw: { count: taxonomy.layers.length, layers: taxonomy.layers.map((layer) => layer.code) } }),
    },
    {
      ...TAXONOMY.categoryCount,
      access: 'public',
      summary: 'How many categories a layer has (raw)',
      rawResponse: z.object({ layer: z.string(), count: z.number().int() }),
      errors: [404],
      handler: async ({ params }) => {
        const layer = layerOr404(params['layer']!);
        return { raw: { layer: layer.code, count: layer.categories.length } };
      },
    },
    {
      ...TAXONOMY.subcategoryCount,
      access: 'public',
      summary: 'How many subcategories a category has (raw)',
      rawResponse: z.object({ layer: z.string(), category: z.string(), count: z.number().int() }),
      errors: [404],
      handler: async ({ params }) => {
        const layer = layerOr404(params['layer']!);
        const category = categoryOr404(layer, params['category']!);
        return { raw: { layer: layer.code, category: category.code, count: category.subcategories.length } };
      },
    },
    {
      ...TAXONOMY.subcategoryCounts,
      access: 'public',
      summary: 'Subcategories per category of a layer (raw)',
      rawResponse: z.object({
        layer: z.string(),
        counts: z.array(z.object({ category: z.string(), count: z.number().int() })),
        totalCategories: z.number().int(),
        totalSubcategories: z.number().int(),
      }),
      errors: [404],
      handler: async ({ params }) => {
        const layer = layerOr404(params['layer']!);
        return {
          raw: {
            layer: layer.code,
            counts: layer.categories.map((category) => ({ category: category.code, count: category.subcategories.length })),
            totalCategories: layer.categories.length,
            totalSubcategories: subcategoryTotal(layer),
          },
        };
      },
    },
    {
      ...TAXONOMY.hfnToMfa,
      access: 'public',
      summary: 'The MFA of an HFN, composites included (raw { success, hfn, mfa })',
      body: hfnToMfaSchema,
      rawResponse: conversionSchema,
      errors: [400, 413, 415],
      handler: async ({ request }) => convert((await readBody(request, { maxBytes: CONVERT_BODY_LIMIT })).fields, 'mfa'),
    },
    {
      ...TAXONOMY.mfaToHfn,
      access: 'public',
      summary: 'The HFN of an MFA, composites included (raw { success, hfn, mfa })',
      body: mfaToHfnSchema,
      rawResponse: conversionSchema,
      errors: [400, 413, 415],
      handler: async ({ request }) => convert((await readBody(request, { maxBytes: CONVERT_BODY_LIMIT })).fields, 'hfn'),
    },
  ];
}
