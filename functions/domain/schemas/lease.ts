/** Who holds a long run's lease (a migration's, the importer's), and until when: part of their checkpoints (domain/ports/checkpoint-store.ts). */
import { z } from 'zod';

export const leaseSchema = z.object({ holder: z.string(), host: z.string(), pid: z.number().int(), expiresAt: z.string() });

export type Lease = z.infer<typeof leaseSchema>;
