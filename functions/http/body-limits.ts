/**
 * How large a request body each kind of route reads (413 beyond, at once when the declared length
 * says so). Bodies are read after authentication (request-body.ts), so an anonymous client can make
 * the API hold at most the small limit of a public route per request. MAX_REQUEST_BYTES caps them all.
 */
const KIB = 1024;

/** Public JSON (a search's parameters): a query, never content. */
export const SEARCH_BODY_BYTES = 64 * KIB;

/**
 * JSON writes of one asset. The largest valid asset as JSON.stringify sends it is about 0.8 MiB:
 * metadata, trainingData and rights at 64 KiB of JSON each (STORABLE_MAX_BYTES), aiMetadata at
 * 16 Ki characters, the description, tags, components and the rest at their limits, every
 * character three bytes of UTF-8. test/api/body-limits.test.ts stores such an asset.
 */
export const ASSET_JSON_BODY_BYTES = 1024 * KIB;

/** A limit, never above the deployment's cap on every body. */
export function cappedLimit(limit: number, maxRequestBytes: number): number {
  return Math.min(limit, maxRequestBytes);
}
