/**
 * A sink's journal: where every record it accepts is written before the collector answers for it,
 * and kept until the sink has stored it (Kafka acknowledged it, an Avro file holds it).
 */
import { z } from 'zod';
import { size, timerDuration } from '../fields.js';

export const journalSchema = z
  .object({
    // Null means a folder of the sink's own under dataDir; resolved after parsing.
    dir: z.string().min(1).nullable().default(null),
    maxBytes: size.prefault('1gb'),
    segmentSize: size.prefault('16mb'),
    // What survives a crash of the machine: see docs/sinks.md, "Durability".
    fsync: z.enum(['always', 'interval', 'never']).default('interval'),
    fsyncInterval: timerDuration.prefault('1s'),
  })
  .strict();
