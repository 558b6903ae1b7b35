/** Statistics, feature flags and their audit trail, and the status page (admin role). */
import { sequencesCollectionOf } from '../../adapters/firestore/firestore-asset-repository.js';
import { ADMIN } from '../endpoints.js';
import type { RouteGroup } from '../route-group.js';

export const adminGroup: RouteGroup = {
  endpoints: ADMIN,
  async load({ runtime, config, metrics }) {
    const [{ adminRoutes }, { StatsService }] = await Promise.all([import('../routes/admin-routes.js'), import('../../operations/stats/stats-service.js')]);
    const stats = new StatsService(runtime.firestore(), {
      metricsCollection: config.metrics.collection,
      migrationsCollection: config.migrationsCollection,
      sequencesCollection: sequencesCollectionOf(config.assetsCollection),
      flush: metrics().flush,
      deadlineMs: config.firestoreDeadlineMs,
    });
    return adminRoutes({ flags: runtime.flags(), stats });
  },
};
