/**
 * The check of a staged upload: its first bytes are read back from the blob store and recognised
 * with file-type (loaded on the first upload), then judged by the upload policy against the layer's
 * list. Runs after the form is parsed, on the staged object, so it does not care how the body was read.
 */
import type { BlobStore } from '../domain/ports/blob-store.js';
import type { Layer } from '../domain/taxonomy/taxonomy.js';
import {
  ANY_LAYER_MEDIA_TYPES,
  judgeUpload,
  LAYER_MEDIA_TYPES,
  textKindOf,
  type AcceptedUpload,
  type LayerRule,
  type UploadedFile,
} from '../domain/upload-policy.js';

/** file-type looks no further than this for the formats the registry takes. */
const SNIFF_BYTES = 4100;

function ruleOf(layer: Pick<Layer, 'code' | 'name'> | undefined): LayerRule {
  const accepted = layer ? LAYER_MEDIA_TYPES[layer.code] : undefined;
  return accepted && layer ? { layerLabel: `${layer.code} (${layer.name})`, accepted } : { layerLabel: undefined, accepted: ANY_LAYER_MEDIA_TYPES };
}

/** The headers and extension the upload is stored with, or a ValidationError naming `file`. */
export async function checkUpload(store: BlobStore, upload: UploadedFile, layer: Pick<Layer, 'code' | 'name'> | undefined): Promise<AcceptedUpload> {
  const head = upload.blob.size === 0 ? Buffer.alloc(0) : ((await store.readHead(upload.blob.name, SNIFF_BYTES)) ?? Buffer.alloc(0));
  const { fileTypeFromBuffer } = await import('file-type');
  const recognised = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  return judgeUpload({ declared: upload.mimeType, size: upload.blob.size, recognised: recognised?.mime, text: textKindOf(head) }, ruleOf(layer));
}
