/** `POST /api/assets/upload`: a file on its own, held to what any layer takes; a refused one is removed. */
import { randomUUID } from 'node:crypto';
import { uploadFileName } from '../domain/asset-file-names.js';
import type { BlobStore } from '../domain/ports/blob-store.js';
import type { AcceptedUpload, UploadedFile } from '../domain/upload-policy.js';
import { checkUpload } from './upload-check.js';
import type { Clock } from './write-rules.js';

export interface StoredUpload {
  url: string;
  filename: string;
  size: number;
  mimeType: string;
  originalName: string;
}

export class UploadFile {
  constructor(private readonly deps: { blobStore: BlobStore; clock: Clock }) {}

  async upload(upload: UploadedFile): Promise<StoredUpload> {
    const { blobStore } = this.deps;
    let accepted: AcceptedUpload;
    try {
      accepted = await checkUpload(blobStore, upload, undefined);
    } catch (error) {
      await blobStore.delete(upload.blob.name);
      throw error;
    }
    const name = uploadFileName(this.deps.clock().toISOString(), randomUUID(), accepted.extension);
    const stored = await blobStore.move(upload.blob.name, name, accepted);
    return {
      url: stored.url,
      filename: name.slice(name.lastIndexOf('/') + 1),
      size: stored.size,
      mimeType: accepted.contentType,
      originalName: upload.originalName,
    };
  }
}
