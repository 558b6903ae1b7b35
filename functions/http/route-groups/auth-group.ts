/**
 * Sign-in and registration through Firebase Authentication (when an API key is configured), the
 * old backend's passwords of imported users (bcryptjs over the Firestore credentials), and role
 * management with its audit trail.
 */
import type { ApiContext } from '../api-context.js';
import type { Route } from '../router.js';

export async function authGroup({ runtime, config, logger, verifier }: ApiContext): Promise<readonly Route[]> {
  const [
    { authRoutes },
    { AuthService },
    { FirebaseIdentityProvider },
    { FirestoreRoleAudit },
    { LegacyPasswords },
    { FirestoreLegacyCredentials },
    { BcryptPasswordCheck },
    { SignInThrottle },
    { FirestoreAttemptCounters },
  ] = await Promise.all([
    import('../routes/auth-routes.js'),
    import('../../sign-in/auth-service.js'),
    import('../../adapters/auth/firebase-identity-provider.js'),
    import('../../adapters/firestore/firestore-role-audit.js'),
    import('../../sign-in/legacy-password-adoption.js'),
    import('../../adapters/firestore/firestore-legacy-credentials.js'),
    import('../../adapters/auth/bcrypt-password-check.js'),
    import('../../sign-in/sign-in-throttle.js'),
    import('../../adapters/firestore/firestore-attempt-counters.js'),
  ]);
  const firestore = runtime.firestore();
  const { firebaseApiKey, firebaseProjectId, authEmulatorHost, legacyCredentialsCollection } = config.auth;
  const identity = firebaseApiKey
    ? new FirebaseIdentityProvider({ projectId: firebaseProjectId, apiKey: firebaseApiKey, emulatorHost: authEmulatorHost })
    : undefined;
  const legacyPasswords = identity
    ? new LegacyPasswords({
        credentials: new FirestoreLegacyCredentials(firestore, legacyCredentialsCollection, config.firestoreDeadlineMs),
        check: new BcryptPasswordCheck(),
        identity,
      })
    : undefined;
  return authRoutes(
    new AuthService({
      identity,
      verifier,
      registrationRoles: config.auth.registrationRoles,
      audit: new FirestoreRoleAudit(firestore, config.auth.roleAuditCollection),
      throttle: new SignInThrottle({
        counters: new FirestoreAttemptCounters(firestore, config.firestoreDeadlineMs),
        policy: config.auth.signInThrottle,
        clock: runtime.clock,
        onGiveBackFailure: (error) => logger.warn('a successful sign-in could not be uncounted from the throttle', { error }),
      }),
      ...(legacyPasswords ? { legacyPasswords } : {}),
    }),
  );
}
