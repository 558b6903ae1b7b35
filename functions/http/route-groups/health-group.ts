/** Liveness and readiness; readiness probes Firestore, the blob store, Pub/Sub and, when scanning is required, clamd. */
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export async function healthGroup({ runtime, config }: ApiContext): Promise<readonly Route[]> {
  const [{ healthRoutes }, { ReadinessProbe }, checks, { ClamdScanner }] = await Promise.all([
    import('../routes/health-routes.js'),
    import('../../operations/health/readiness.js'),
    import('../../operations/adapters/dependency-checks.js'),
    import('../../adapters/clamd/clamd-scanner.js'),
  ]);
  const readiness = new ReadinessProbe(config.readinessTimeoutMs).register(
    checks.firestoreCheck(runtime.firestore(), config.flags.document),
    checks.blobStoreCheck(runtime.blobStore('assets')),
    checks.pubSubCheck(config.projectId),
  );
  if (config.albumArt.scan === 'required') {
    readiness.register(checks.scannerCheck(new ClamdScanner(config.albumArt.clamdAddress, config.albumArt.clamdTimeoutMs), true));
  }
  return healthRoutes(readiness);
}
