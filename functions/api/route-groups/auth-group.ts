/**
 * Sign-in and registration through Firebase Authentication (when an API key is configured), the
 * old backend's passwords of imported users (bcryptjs over the Firestore credentials), and role
 * management with its audit trail.
 */
import { AUTH } from '../endpoints.js';
import type { RouteGroup } from './route-group.js';

export const authGroup: RouteGroup = {
  endpoints: AUTH,
  async load({ runtime, config, verifier }) {
    const [
      { authRoutes },
      { AuthService },
      { FirebaseIdentityProvider },
      { FirestoreRoleAudit },
      { LegacyPasswords },
      { FirestoreLegacyCredentials },
      { BcryptPasswordCheck },
    ] = await Promise.all([
      import('../routes/auth-routes.js'),
      import('../auth-service.js'),
      import('../../adapters/auth/firebase-identity-provider.js'),
      import('../../adapters/firestore/firestore-role-audit.js'),
      import('../legacy-password-adoption.js'),
      import('../../adapters/firestore/firestore-legacy-credentials.js'),
      import('../../adapters/auth/bcrypt-password-check.js'),
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
        ...(legacyPasswords ? { legacyPasswords } : {}),
      }),
    );
  },
};
