import { z } from 'zod';
import type { AlbumArtDisplay } from '../../domain/album-art-view.js';
import { ValidationError } from '../../domain/errors.js';
import type { WriteFence } from '../../domain/ports/idempotency-store.js';
import type { BlobStore } from '../../domain/ports/blob-store.js';
import { createAssetSchema, updateAssetSchema } from '../../domain/schemas/asset-input.js';
import { listAssetsQuerySchema } from '../../domain/schemas/asset-query.js';
import { assetSchema } from '../../domain/schemas/asset.js';
import { httpUrlSchema } from '../../domain/schemas/common.js';
import type { StoredAsset } from '../../domain/stored-asset.js';
import type { AssetUseCases } from '../../assets/asset-use-cases.js';
import { ASSET_WRITE_ERRORS, assetAnswer, assetJsonBody, ifMatchCheck } from './asset-write-parts.js';
import { unlessNotModified, wantsFreshAnswer } from '../conditional-get.js';
import { idempotencyKeyOf, type Idempotency } from '../idempotency.js';
import type { Logger } from '../../platform/logger.js';
import type { ApiRequest, RouteContext, RouteResult } from '../http-types.js';
import { serializeListingPage, type ListingPage } from '../listing-page.js';
import { cappedLimit, SEARCH_BODY_BYTES } from '../body-limits.js';
import { readBody, type BodyOptions } from '../request-body.js';
import type { Route } from '../router.js';
import type { SharedListings } from '../shared-listings.js';
import type { AlbumArtShapeSource } from './asset-read-routes.js';
import { parseOrThrow } from '../../domain/validation.js';
import { ASSETS } from '../endpoints.js';

export interface AssetRouteDependencies {
  assets: Pick<AssetUseCases, 'lookup' | 'listing' | 'creation' | 'uploads' | 'updates'>;
  blobStore: BlobStore;
  maxRequestBytes: number;
  idempotency: Idempotency;
  /** Listing pages shared by identical requests (every asset write invalidates them). */
  listings: SharedListings<ListingPage>;
  albumArtShape: AlbumArtShapeSource;
}

/**
 * Pages of fewer items are never shared: they cost little, and they are what opens one asset
 * (`search=<id>&limit=1`), where a page older than an edit made through another instance would show.
 */
const SHARED_PAGE_MIN_LIMIT = 100;

const FILE_FIELDS = ['file', 'files'];

const assetPageSchema = z
  .object({
    items: z.array(assetSchema),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    nextCursor: z.string().optional().meta({ description: 'Present when a next page exists: pass it as `cursor` (with the same query) to get that page' }),
    totalIsLowerBound: z
      .literal(true)
      .optional()
      .meta({ description: 'A search read its candidate limit; total counts the matches among the newest candidates only' }),
  })
  .meta({ id: 'AssetPage' });

const albumArtRequestSchema = z.object({ sourceUrl: httpUrlSchema }).meta({ id: 'AlbumArtRequest' });

const uploadResultSchema = z
  .object({ url: z.string(), filename: z.string(), size: z.number().int(), mimeType: z.string(), originalName: z.string() })
  .meta({ id: 'UploadResult' });

/** The listing parameters of a GET query string or a POST JSON body. */
function listQuery(values: Record<string, unknown>) {
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) normalized[key.endsWith('[]') ? key.slice(0, -2) : key] = value;
  return parseOrThrow(listAssetsQuerySchema, normalized);
}

/** What makes two listing requests the same page: the parsed query, keys in order, and the shape. */
function pageKey(query: Record<string, unknown>, albumArtShape: AlbumArtDisplay): string {
  return JSON.stringify([albumArtShape.shape, Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

export function assetRoutes({ assets, blobStore, maxRequestBytes, idempotency, listings, albumArtShape }: AssetRouteDependencies): Route[] {
  const answer = assetAnswer(albumArtShape);
  const jsonWrite = assetJsonBody(maxRequestBytes);
  const withFile: BodyOptions = { ...jsonWrite, upload: { blobStore, fileFields: FILE_FIELDS, maxBytes: maxRequestBytes } };
  const search: BodyOptions = { maxBytes: cappedLimit(SEARCH_BODY_BYTES, maxRequestBytes) };
  /**
   * Runs a creating request once per Idempotency-Key (when it has one): `work` writes under the
   * key's fence; `written` answers a retry from the asset a request wrote but never answered.
   */
  const once = (
    context: RouteContext,
    fingerprintOf: unknown,
    work: (fence: WriteFence | undefined) => Promise<RouteResult>,
    written: (id: string) => Promise<RouteResult>,
    onReplay: () => Promise<void> = async () => undefined,
  ): Promise<RouteResult> => {
    const key = idempotencyKeyOf(context.request);
    if (key === undefined) return work(undefined);
    return idempotency.run({ caller: context.principal!.email, key, fingerprintOf }, { run: work, onReplay, replayWritten: written });
  };
  const list = async (values: Record<string, unknown>, request: ApiRequest, logger: Logger): Promise<RouteResult> => {
    const query = listQuery(values);
    const shape = await albumArtShape();
    const share = { key: pageKey(query, shape), shareable: query.limit >= SHARED_PAGE_MIN_LIMIT, fresh: wantsFreshAnswer(request) };
    const { value: page, shared } = await listings.get(share, async () => serializeListingPage(await assets.listing.list(query), query.limit, shape));
    logger.debug('asset listing', {
      search: query.search !== undefined,
      documentsRead: page.documentsRead,
      aggregationReads: page.aggregationReads,
      total: page.total,
      shared,
    });
    // Reads this request caused (none when it shared another's): documents, and what its count()
    // aggregations billed, for the benchmarks and for anyone watching cost; not part of the contract.
    const headers = {
      ETag: page.etag,
      'X-Documents-Read': String(shared ? 0 : page.documentsRead),
      'X-Aggregation-Reads': String(shared ? 0 : page.aggregationReads),
    };
    return unlessNotModified(request, page.etag, { headers, serialized: page });
  };
  const update = async ({ request, params, principal }: RouteContext): Promise<RouteResult> => {
    const { fields } = await readBody(request, jsonWrite);
    return answer(await assets.updates.update(await assets.lookup.idOf(params['id']!), fields, ifMatchCheck(request, await albumArtShape()), principal!.email));
  };
  const errors = [...ASSET_WRITE_ERRORS];
  return [
    {
      ...ASSETS.list,
      access: 'read',
      summary: 'List assets with filters, sorting and paging',
      query: listAssetsQuerySchema,
      response: assetPageSchema,
      errors: [400],
      handler: ({ request, logger }) => list(request.query as Record<string, unknown>, request, logger),
    },
    {
      ...ASSETS.search,
      access: 'read',
      summary: 'Search assets (same parameters as the listing)',
      query: listAssetsQuerySchema,
      response: assetPageSchema,
      errors: [400],
      handler: ({ request, logger }) => list(request.query as Record<string, unknown>, request, logger),
    },
    {
      ...ASSETS.searchByBody,
      access: 'read',
      summary: 'Search assets with the parameters in a JSON body',
      body: listAssetsQuerySchema,
      response: assetPageSchema,
      errors: [400, 413, 415],
      handler: async ({ request, logger }) => list((await readBody(request, search)).fields, request, logger),
    },
    {
      ...ASSETS.create,
      access: 'editor',
      summary: 'Create an asset (JSON, or multipart/form-data with an optional file)',
      body: createAssetSchema,
      bodyMediaTypes: ['application/json', 'multipart/form-data'],
      response: assetSchema,
      successStatus: 201,
      errors: [...errors, 409, 422],
      handler: async (context) => {
        const { fields, file } = await readBody(context.request, withFile);
        // The upload is described, not hashed: a retry sends the same file under the same name.
        const upload = file ? { name: file.originalName, type: file.mimeType, size: file.blob.size } : null;
        const createdAnswer = async (created: StoredAsset): Promise<RouteResult> => {
          const result = await answer(created, 201);
          result.headers!['Location'] = `/api/assets/${created.id}`;
          return result;
        };
        return once(
          context,
          { route: 'create-asset', fields, upload },
          async (fence) => createdAnswer(await assets.creation.create(fields, file, context.principal!.email, fence)),
          async (id) => createdAnswer(await assets.lookup.get(id)),
          async () => {
            if (file) await blobStore.delete(file.blob.name);
          },
        );
      },
    },
    {
      ...ASSETS.upload,
      access: 'editor',
      summary: 'Store a file (multipart field "file") and get its URL',
      bodyMediaTypes: ['multipart/form-data'],
      response: uploadResultSchema,
      successStatus: 201,
      errors,
      handler: async ({ request }) => {
        const { file } = await readBody(request, withFile);
        if (!file) throw ValidationError.single('file', 'is required (a multipart/form-data part named file)');
        return { status: 201, data: await assets.uploads.upload(file) };
      },
    },
    {
      ...ASSETS.replace,
      access: 'editor',
      summary: 'Update an asset named by id, HFN or MFA (partial bodies accepted); honours If-Match; 409 when a move finds its new path full',
      body: updateAssetSchema,
      response: assetSchema,
      errors: [...errors, 409],
      handler: update,
    },
    {
      ...ASSETS.patch,
      access: 'editor',
      summary: 'Update an asset (same as PUT)',
      body: updateAssetSchema,
      response: assetSchema,
      errors: [...errors, 409],
      handler: update,
    },
    {
      ...ASSETS.albumArt,
      access: 'editor',
      summary: 'Fetch album art for a Songs (G) asset from sourceUrl; albumArt.status becomes pending (202)',
      body: albumArtRequestSchema,
      response: assetSchema,
      successStatus: 202,
      errors: [...errors, 409, 422],
      handler: async (context) => {
        const { fields } = await readBody(context.request, jsonWrite);
        const { sourceUrl } = parseOrThrow(albumArtRequestSchema, fields);
        const id = context.params['id']!;
        return once(
          context,
          { route: 'album-art', id, sourceUrl },
          async (fence) =>
            answer(
              await assets.updates.requestAlbumArt(id, sourceUrl, ifMatchCheck(context.request, await albumArtShape()), context.principal!.email, fence),
              202,
            ),
          async (written) => answer(await assets.lookup.get(written), 202),
        );
      },
    },
  ];
}
