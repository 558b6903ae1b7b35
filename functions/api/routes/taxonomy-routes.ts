import { z } from 'zod';
import { NotFoundError } from '../../domain/errors.js';
import type { Taxonomy, TaxonomyEntry } from '../../domain/taxonomy/taxonomy.js';
import type { Route } from '../router.js';

const entrySchema = z
  .object({ code: z.string(), name: z.string(), number: z.number().int(), numericCode: z.string() })
  .meta({ id: 'TaxonomyEntry' });

function entryView(entry: TaxonomyEntry) {
  return { code: entry.code, name: entry.name, number: entry.number, numericCode: String(entry.number).padStart(3, '0') };
}

export function taxonomyRoutes(taxonomy: Taxonomy): Route[] {
  const layerOr404 = (value: string) => {
    const layer = taxonomy.findLayer(value);
    if (!layer) throw new NotFoundError(`No layer ${value}`);
    return layer;
  };
  return [
    {
      method: 'GET',
      path: '/api/taxonomy/layers',
      access: 'public',
      summary: 'The layers of the NNA taxonomy',
      response: z.array(entrySchema),
      handler: async () => ({ data: taxonomy.layers.map((layer) => ({ ...entryView(layer), numericCode: String(layer.number) })) }),
    },
    {
      method: 'GET',
      path: '/api/taxonomy/layers/:layer/categories',
      access: 'public',
      summary: "A layer's categories (layer by code or name)",
      response: z.array(entrySchema),
      errors: [404],
      handler: async ({ params }) => ({ data: layerOr404(params['layer']!).categories.map(entryView) }),
    },
    {
      method: 'GET',
      path: '/api/taxonomy/layers/:layer/categories/:category/subcategories',
      access: 'public',
      summary: "A category's subcategories (codes or names)",
      response: z.array(entrySchema),
      errors: [404],
      handler: async ({ params }) => {
        const layer = layerOr404(params['layer']!);
        const category = taxonomy.findCategory(layer, params['category']!);
        if (!category) throw new NotFoundError(`No category ${params['category']} in layer ${layer.code}`);
        return { data: category.subcategories.map(entryView) };
      },
    },
  ];
}
