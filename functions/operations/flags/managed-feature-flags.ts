/** Feature flags as operators manage them (the admin routes): read all, change some, see who changed what. */
import type { FeatureFlags } from '../../domain/ports/feature-flags.js';
import type { FlagAuditEntry, FlagsView, FlagUpdate } from './flag-schemas.js';

export interface ManagedFeatureFlags extends FeatureFlags {
  view(): Promise<FlagsView>;
  update(update: FlagUpdate, actor: string): Promise<{ view: FlagsView; audit: FlagAuditEntry }>;
  auditTrail(limit: number): Promise<FlagAuditEntry[]>;
}
