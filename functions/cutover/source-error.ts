/**
 * The old backend's data cannot be read: the export file does not open or is not an export, the API
 * is unreachable, refuses the credentials or answers something that is not its asset listing.
 */
export class LegacySourceError extends Error {
  constructor(
    message: string,
    /** True when the source refused the credentials (401/403), so the message can say what to check. */
    readonly unauthorized = false,
  ) {
    super(message);
    this.name = 'LegacySourceError';
  }
}
