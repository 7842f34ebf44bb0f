/**
 * The configuration's JSON Schema, generated from the one zod schema (schema.ts) so that it cannot
 * drift from what the loader accepts. `footfall config-schema` prints it; docs/config.schema.json is
 * its output, committed for editors (yaml-language-server) and kept equal by a unit test.
 *
 * It describes the input side, what a YAML file may hold: defaults as written (`30s`, not 30000), and
 * durations, sizes and ports as the strings and numbers fields.ts accepts. What it cannot express is
 * left to `footfall check-config`: the cross-checks (mapping references, URL clashes), the timer
 * limit of a duration written as a string, and the few checks written as refinements (proxy
 * addresses, cookie settings that exclude each other).
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/** The JSON Schema (draft 2020-12) of a configuration file, as text with a final newline. */
export function renderConfigJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }), null, 2)}\n`;
}
