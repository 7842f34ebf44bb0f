/**
 * `footfall druid-spec`: prints or writes the Druid Kafka supervisor spec for the builtin footfall
 * record. Kept out of main.ts so the process entry stays small; the spec itself is built by src/druid.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_SPEC_OPTIONS,
  SPEC_FRAMINGS,
  SpecError,
  renderSessionSupervisorSpec,
  renderSupervisorSpec,
  type SpecFraming,
} from '../druid/index.js';
import { loadBuiltinSchema } from '../schema/index.js';
import { writeOutput } from './common.js';

const DRUID_SPEC_USAGE = `Usage: footfall druid-spec [options]

Prints the Druid Kafka supervisor spec for the builtin footfall record (builtin:footfall).
The defaults match docker/compose.yaml; docker/druid/supervisor-spec.json is this output, and
docker/druid/sessions-supervisor-spec.json the output with --sessions.

Options:
  --topic T           Kafka topic (default: ${DEFAULT_SPEC_OPTIONS.topic})
  --brokers B         bootstrap servers as Druid reaches them, comma-separated (default: ${DEFAULT_SPEC_OPTIONS.brokers})
  --framing F         naked | druid-inline, as the Kafka sink's framing (default: ${DEFAULT_SPEC_OPTIONS.framing})
  --schema-id N       the Kafka sink's schemaId, for druid-inline framing (default: ${DEFAULT_SPEC_OPTIONS.schemaId})
  --datasource D      Druid datasource name (default: ${DEFAULT_SPEC_OPTIONS.dataSource})
  --sessions          the session spec instead: one row per session and hour, into D_sessions
  --out FILE          write to FILE instead of standard output
  -h, --help          show this help
`;

/** Runs the command; returns the process exit code (0 fine, 1 cannot write, 2 bad usage). */
export function druidSpecCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        topic: { type: 'string' },
        brokers: { type: 'string' },
        framing: { type: 'string' },
        'schema-id': { type: 'string' },
        datasource: { type: 'string' },
        sessions: { type: 'boolean' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${DRUID_SPEC_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(DRUID_SPEC_USAGE);
    return 0;
  }

  let text: string;
  try {
    const schemaId = values['schema-id'] === undefined ? undefined : Number(values['schema-id']);
    const render = values.sessions ? renderSessionSupervisorSpec : renderSupervisorSpec;
    text = render(loadBuiltinSchema('footfall'), {
      ...(values.topic === undefined ? {} : { topic: values.topic }),
      ...(values.brokers === undefined ? {} : { brokers: values.brokers }),
      ...(values.framing === undefined ? {} : { framing: values.framing as SpecFraming }),
      ...(schemaId === undefined ? {} : { schemaId }),
      ...(values.datasource === undefined ? {} : { dataSource: values.datasource }),
    });
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    process.stderr.write(`FOOTFALL_ERR_SPEC: ${err.message}\n(framings: ${SPEC_FRAMINGS.join(', ')})\n`);
    return 2;
  }

  return writeOutput(text, values.out);
}
