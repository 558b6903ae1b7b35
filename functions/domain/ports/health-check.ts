/**
 * One dependency the readiness check probes (Firestore, Pub/Sub, the blob store, the scanner).
 * `check` resolves when the dependency answers and rejects with the reason when it does not; it
 * should be cheap (one small read), since load balancers and operators call readiness often.
 */
export interface HealthCheck {
  readonly name: string;
  /** A required dependency that is down makes the service not ready (503); an optional one only shows. */
  readonly required: boolean;
  check(): Promise<void>;
}
