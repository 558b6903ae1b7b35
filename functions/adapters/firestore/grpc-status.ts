/**
 * The gRPC status codes Firestore errors carry in `code`, by name: adapters tell an error's kind by
 * these names, never by bare numbers. The type check holds each value to the Firestore library's own
 * `GrpcStatus` (a type-only import: nothing of the SDK loads with this module).
 */
import type { GrpcStatus as FirestoreGrpcStatus } from '@google-cloud/firestore';

const GrpcStatus = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const satisfies { [Name in keyof typeof FirestoreGrpcStatus]?: (typeof FirestoreGrpcStatus)[Name] };

export type GrpcStatusName = keyof typeof GrpcStatus;

/** Whether an error (from Firestore, or anything else) carries one of these gRPC statuses. */
export function hasGrpcStatus(error: unknown, names: readonly GrpcStatusName[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return names.some((name) => GrpcStatus[name] === code);
}
