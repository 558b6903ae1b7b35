/** Statistics, feature flags and their audit trail, and the status page (admin role). */
import { sequencesCollectionOf } from '../../adapters/firestore/stored-names.js';
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export async function adminGroup({ runtime, config, metrics }: ApiContext): Promise<readonly Route[]> {
  const [{ adminRoutes }, { StatsService }, { FirestoreStatsSource }] = await Promise.all([
    import('../routes/admin-routes.js'),
    import('../../operations/stats/stats-service.js'),
    import('../../operations/adapters/firestore-stats-source.js'),
  ]);
  const source = new FirestoreStatsSource(runtime.firestore(), {
    metricsCollection: config.metrics.collection,
    migrationsCollection: config.migrationsCollection,
    sequencesCollection: sequencesCollectionOf(config.assetsCollection),
    deadlineMs: config.firestoreDeadlineMs,
  });
  const stats = new StatsService(source, { flush: metrics().flush });
  return adminRoutes({ flags: runtime.flags(), stats });
}
