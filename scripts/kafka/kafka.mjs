#!/usr/bin/env node
// Command-line wrapper around broker.mjs:
//
//   node scripts/kafka/kafka.mjs start  [--dir DIR] [--fresh] [--timeout SECONDS]
//   node scripts/kafka/kafka.mjs stop   [--dir DIR]
//   node scripts/kafka/kafka.mjs status [--dir DIR]
//
// `start` prints exactly one line on stdout, KAFKA_BROKERS=127.0.0.1:<port>, so that
// `export $(node scripts/kafka/kafka.mjs start)` works; progress goes to stderr. KAFKA_PORT fixes the
// client port, KAFKA_HEAP_OPTS / KAFKA_OPTS / JAVA_HOME mean what they mean to Kafka's own scripts.
// Exit codes: 0 ok, 1 failure (or `status`: not running), 2 usage, 3 java or mvn missing.
import process from 'node:process';
import { parseArgs } from 'node:util';
import {
  EXIT_TOOL_MISSING,
  ToolMissingError,
  brokerStatus,
  defaultDir,
  startBroker,
  stopBroker,
} from './broker.mjs';

const USAGE = 'usage: kafka.mjs <start|stop|status> [--dir DIR] [--fresh] [--timeout SECONDS]';

function fail(message, code = 1) {
  process.stderr.write(`[kafka] ${message}\n`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
const [command] = positionals;
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (positionals.length !== 1 || !['start', 'stop', 'status'].includes(command)) fail(USAGE, 2);
const dir = values.dir ?? defaultDir;

async function start() {
  const status = brokerStatus({ dir });
  if (status.running) {
    if (values.fresh) fail(`--fresh needs the broker stopped first (pid ${status.pid}); run 'stop'`);
    process.stderr.write(`[kafka] already running (pid ${status.pid}) from ${status.dir}\n`);
    process.stdout.write(`KAFKA_BROKERS=${status.brokers}\n`);
    return;
  }
  let port;
  if (process.env.KAFKA_PORT) {
    port = Number(process.env.KAFKA_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      fail(`KAFKA_PORT=${process.env.KAFKA_PORT} is not a port`, 2);
  }
  let readyTimeoutMs;
  if (values.timeout !== undefined) {
    readyTimeoutMs = Number(values.timeout) * 1000;
    if (!(readyTimeoutMs > 0)) fail(`--timeout ${values.timeout} is not a number of seconds`, 2);
  }
  // The broker is detached, so an interrupted start would otherwise leave a half-started JVM behind.
  process.once('SIGINT', async () => {
    await stopBroker({ dir, timeoutMs: 5000 });
    process.exit(130);
  });
  const broker = await startBroker({ dir, port, fresh: values.fresh, readyTimeoutMs });
  process.stdout.write(`KAFKA_BROKERS=${broker.brokers}\n`);
}

async function stop() {
  const { outcome, pid } = await stopBroker({ dir });
  process.stderr.write(
    outcome === 'not-running'
      ? `[kafka] no broker running from ${dir}\n`
      : `[kafka] ${outcome} broker (pid ${pid})\n`,
  );
}

function status() {
  const s = brokerStatus({ dir });
  if (!s.running) {
    process.stdout.write(`not running (${s.dir})\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    [
      `running: Kafka ${s.kafkaVersion} pid ${s.pid}`,
      `KAFKA_BROKERS=${s.brokers}`,
      `controller: 127.0.0.1:${s.controllerPort}`,
      `since: ${s.startedAt}`,
      `dir: ${s.dir}`,
      `log: ${s.serverLog}`,
    ].join('\n') + '\n',
  );
}

try {
  if (command === 'start') await start();
  else if (command === 'stop') await stop();
  else status();
} catch (error) {
  if (error instanceof ToolMissingError) fail(error.message, EXIT_TOOL_MISSING);
  fail(error instanceof Error ? error.message : String(error));
}
