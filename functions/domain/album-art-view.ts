/**
 * How responses show album art. The web frontend reads `asset.albumArt` as an image URL (its
 * thumbnails and its edit field); the seed specifies an object. The ALBUM_ART_AS_URL flag chooses:
 *
 * - `url`: `albumArt` is the image to show, the 500 px JPEG variant once the pipeline is `ready`
 *   and the source URL before; the object is beside it as `albumArtInfo`.
 * - `object`: `albumArt` is the object, as the seed specifies; there is no `albumArtInfo`.
 */

import { hostAllowed } from './host-patterns.js';

export type AlbumArtShape = 'url' | 'object';

/**
 * How responses show album art: the shape the flag chose, and the download allow-list
 * (`ALBUM_ART_ALLOWED_HOSTS`). A source URL is shown as the image only while its host is on the
 * list and the pipeline has not refused it: an editor's `http://tracker.example/pixel.gif` would
 * otherwise be loaded by every browser that shows the asset.
 */
export interface AlbumArtDisplay {
  readonly shape: AlbumArtShape;
  readonly allowedHosts: readonly string[];
}

/** Where the `url` shape puts the album-art object. */
const ALBUM_ART_INFO_FIELD = 'albumArtInfo';

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Imported assets may hold anything as album art (`javascript:alert(1)`), and clients put the value
 * in an `img` or a link as it comes: a legacy string is served only as an https URL. The object is
 * the pipeline's, whose own URLs are http on the local stack: its URLs are served when http(s).
 */
function isServableUrl(text: string, schemes: readonly string[]): boolean {
  const protocol = URL.parse(text)?.protocol;
  return protocol !== undefined && schemes.includes(protocol);
}

const LEGACY_SCHEMES = ['https:'];
const PIPELINE_SCHEMES = ['https:', 'http:'];

/** A non-empty text a client may show as an image. */
function servableUrl(value: unknown): string | undefined {
  const text = nonEmpty(value);
  return text !== undefined && isServableUrl(text, PIPELINE_SCHEMES) ? text : undefined;
}

/** Whether a source URL may be shown: http(s), its host on the download allow-list. */
function servableSource(url: string | undefined, allowedHosts: readonly string[]): string | undefined {
  if (url === undefined || !isServableUrl(url, PIPELINE_SCHEMES)) return undefined;
  return hostAllowed(new URL(url).hostname, allowedHosts) ? url : undefined;
}

/**
 * The image a client shows for this album art (the public object), if it has one: a stored image
 * (the 500 px variant once ready, or the `url` the pipeline recorded), else the source while it is
 * on the allow-list and not refused. A failed job's source is never shown.
 */
function albumArtImageUrl(albumArt: Record<string, unknown>, allowedHosts: readonly string[]): string | undefined {
  if (albumArt['status'] === 'ready') {
    const variants = albumArt['variants'] as Record<string, Record<string, { url?: unknown }>> | undefined;
    const medium = servableUrl(variants?.['500']?.['jpg']?.url) ?? servableUrl(albumArt['url']);
    if (medium) return medium;
  }
  const stored = servableUrl(albumArt['url']);
  if (albumArt['status'] === 'failed') return stored;
  return servableSource(nonEmpty(albumArt['sourceUrl']), allowedHosts) ?? stored;
}

/**
 * The view's album-art fields in a shape: `[field, value]` pairs in order. An album art that is not
 * an object (a legacy string) is shown as it is in both shapes, but for a URL that is not https,
 * shown as null.
 */
export function albumArtFields(publicAlbumArt: unknown, display: AlbumArtDisplay): Array<[string, unknown]> {
  if (typeof publicAlbumArt === 'string' && publicAlbumArt.trim() !== '' && !isServableUrl(publicAlbumArt, LEGACY_SCHEMES)) return [['albumArt', null]];
  if (display.shape === 'object' || publicAlbumArt === null || typeof publicAlbumArt !== 'object' || Array.isArray(publicAlbumArt)) {
    return [['albumArt', publicAlbumArt]];
  }
  const image = albumArtImageUrl(publicAlbumArt as Record<string, unknown>, display.allowedHosts);
  return image === undefined
    ? [[ALBUM_ART_INFO_FIELD, publicAlbumArt]]
    : [
        ['albumArt', image],
        [ALBUM_ART_INFO_FIELD, publicAlbumArt],
      ];
}

/**
 * Whether a write's `albumArt` string is the image the `url` shape showed for the stored album art
 * (a client sending back what it read): that names no new artwork to fetch. Without this, sending
 * back the 500 px variant's URL would make the registry's own image a new source.
 */
export function echoesShownAlbumArt(sent: unknown, stored: unknown): boolean {
  if (typeof sent !== 'string' || stored === null || typeof stored !== 'object' || Array.isArray(stored)) return false;
  return albumArtImageUrl(stored as Record<string, unknown>, ['*']) === sent.trim();
}
