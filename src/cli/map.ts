/**
 * `footfall map --event EVENT.json`: the record each mapping makes from the described event, as JSON
 * on stdout (the record itself for one mapping, an object by mapping name for several; null when the
 * mapping discards the event). The mapping itself is collector/map-event.ts; this is the command
 * around it: reading the event file, the output and the exit codes.
 */
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import type { ConfigResult } from '../config/index.js';
import { mapDescribedEvent } from '../collector/map-event.js';
import { EXIT, USAGE, baseDirOf, reportError, reportInvalid } from './common.js';

export interface MapCommandOptions {
  /** `--event FILE`: the JSON description of the event. */
  readonly event: string | undefined;
  /** `--mapping NAME`: only this mapping. */
  readonly mapping: string | undefined;
}

/** Runs the command; returns the exit code: 1 when a mapping fails on the event, 2 for bad input. */
export async function mapCommand(result: ConfigResult, options: MapCommandOptions): Promise<number> {
  if (!result.ok) return reportInvalid(result);
  const eventFile = options.event;
  if (eventFile === undefined) {
    process.stderr.write(`map needs --event FILE\n\n${USAGE}`);
    return EXIT.config;
  }
  let description: unknown;
  try {
    description = JSON.parse(readFileSync(eventFile, 'utf8'));
  } catch (err) {
    process.stderr.write(`FOOTFALL_ERR_EVENT: ${eventFile}: ${(err as Error).message}\n`);
    return EXIT.config;
  }
  // Logs go to stderr so that stdout holds nothing but the JSON.
  const logger = pino({ level: 'warn', base: null }, pino.destination(2));
  let mapped;
  try {
    mapped = await mapDescribedEvent(result.config, baseDirOf(result), description, {
      mapping: options.mapping,
      logger,
    });
  } catch (err) {
    return reportError(err);
  }
  let code: number = EXIT.ok;
  const output: Record<string, unknown> = {};
  for (const item of mapped) {
    if (item.outcome === 'failed') {
      process.stderr.write(`mapping ${item.mapping} failed on this event: ${item.error}\n`);
      code = EXIT.failure;
      continue;
    }
    if (item.outcome === 'discarded') process.stderr.write(`mapping ${item.mapping} discarded this event\n`);
    output[item.mapping] = item.outcome === 'record' ? item.record : null;
  }
  const single = mapped.length === 1;
  if (!single || mapped[0]?.outcome !== 'failed') {
    process.stdout.write(`${JSON.stringify(single ? Object.values(output)[0] : output, null, 2)}\n`);
  }
  return code;
}
