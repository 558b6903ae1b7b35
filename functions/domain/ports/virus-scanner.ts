/** A virus scanner. `scan` throws when the scanner cannot be reached (the job is then retried). */
export interface ScanResult {
  clean: boolean;
  /** The signature that matched, when not clean. */
  signature?: string;
}

export interface VirusScanner {
  scan(bytes: Buffer): Promise<ScanResult>;
}

export class ScannerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScannerUnavailableError';
  }
}
