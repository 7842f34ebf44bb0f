/**
 * `footfall config-schema`: prints the JSON Schema of the configuration file, for editors
 * (yaml-language-server) and for checks outside Footfall. The schema is generated from the zod schema
 * the loader validates with (config/json-schema.ts); docs/config.schema.json is this output.
 */
import { parseArgs } from 'node:util';
import { renderConfigJsonSchema } from '../config/json-schema.js';
import { writeOutput } from './common.js';

const CONFIG_SCHEMA_USAGE = `Usage: footfall config-schema [options]

Prints the JSON Schema (draft 2020-12) of Footfall's YAML configuration file;
docs/config.schema.json is this output. To have an editor complete and check the keys, start the file with
  # yaml-language-server: $schema=<path or URL of the schema>

Options:
  --out FILE          write to FILE instead of standard output
  -h, --help          show this help
`;

/** Runs the command; returns the process exit code (0 fine, 1 cannot write, 2 bad usage). */
export function configSchemaCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${CONFIG_SCHEMA_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(CONFIG_SCHEMA_USAGE);
    return 0;
  }
  const text = renderConfigJsonSchema();
  return writeOutput(text, values.out);
}
