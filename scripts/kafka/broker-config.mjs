// What a broker is given: its folder layout, server.properties (one KRaft node sized for a 2-core
// machine), the log4j2 file, the JVM arguments and the one-time storage format. Pure text and one
// spawnSync, kept apart from the process handling in broker.mjs so the broker's settings read on
// their own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { libsDir } from './toolchain.mjs';

export function paths(dir) {
  return {
    dir,
    properties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    data: join(dir, 'data'),
    logs: join(dir, 'logs'),
    out: join(dir, 'logs', 'kafka.out'),
    serverLog: join(dir, 'logs', 'server.log'),
    // Survives stop so a restart keeps the cluster id and, when still free, the same ports.
    instance: join(dir, 'instance.json'),
    // Exists only while a broker runs; `stop` removes it.
    state: join(dir, 'broker.json'),
  };
}

/** `NAME://127.0.0.1:<port>` for each extra listener. */
function extraEndpoints(listeners, ports) {
  return listeners.map(({ name }) => `,${name}://127.0.0.1:${ports[name]}`).join('');
}

export function serverProperties({
  port,
  controllerPort,
  data,
  listeners = [],
  listenerPorts = {},
  extra = '',
}) {
  const endpoints = extraEndpoints(listeners, listenerPorts);
  const protocols = listeners.map(({ name, protocol }) => `,${name}:${protocol}`).join('');
  return `# Written by scripts/kafka/broker-config.mjs on every start; edit that file, not this one.
process.roles=broker,controller
node.id=1
# Static voters rather than --standalone: the voter endpoint is then not baked into the metadata log,
# so the data survives a start that had to pick a different controller port.
controller.quorum.voters=1@127.0.0.1:${controllerPort}
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}${endpoints}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}${endpoints}
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${protocols}
log.dirs=${data}

# One node: every internal topic must fit on it.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer internal partitions make the first consumer group and transaction noticeably faster to set up.
offsets.topic.num.partitions=5
transaction.state.log.num.partitions=5

# After a kill -9 the restarted controller refuses the broker's re-registration until the old session
# expires (DUPLICATE_BROKER_REGISTRATION); with the 9 s default a crash test waits ~13 s per restart.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000

# Tests join groups constantly; the default 3s delay would be paid on every join.
group.initial.rebalance.delay.ms=0
# The collector must handle a missing topic itself, so the broker must not paper over it.
auto.create.topics.enable=false
num.partitions=3

# Sized for a 2-core development machine and short-lived data.
num.network.threads=2
num.io.threads=4
log.segment.bytes=16777216
log.retention.hours=24
log.retention.check.interval.ms=60000
${extra}`;
}

export const LOG4J = `# Written by scripts/kafka/broker-config.mjs. Kafka 4 logs through log4j2; kafka.logs.dir is set on the JVM.
status = warn
appender.file.type = RollingFile
appender.file.name = file
appender.file.fileName = \${sys:kafka.logs.dir}/server.log
appender.file.filePattern = \${sys:kafka.logs.dir}/server.log.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 10MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;

function heapOptions() {
  const custom = process.env.KAFKA_HEAP_OPTS?.trim();
  return custom ? custom.split(/\s+/) : ['-Xms256m', '-Xmx512m'];
}

export function jvmArguments(p, extra) {
  return [
    ...heapOptions(),
    // The flags Kafka's own kafka-run-class.sh uses, so benchmarks see the GC behaviour of a real install.
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    // log4j2's own shutdown hook races Kafka's and silently drops the last seconds of a shutdown.
    '-Dlog4j2.shutdownHookEnabled=false',
    `-Dlog4j2.configurationFile=${p.log4j}`,
    `-Dkafka.logs.dir=${p.logs}`,
    ...(process.env.KAFKA_OPTS?.trim() ? process.env.KAFKA_OPTS.trim().split(/\s+/) : []),
    ...extra,
    '-cp',
    `${libsDir}/*`,
  ];
}

export function formatStorage(java, p, extra, clusterId, log, scramUsers = []) {
  if (existsSync(join(p.data, 'meta.properties'))) return false;
  log(`formatting storage in ${p.data} (cluster id ${clusterId})`);
  const result = spawnSync(
    java,
    [
      ...jvmArguments(p, extra).filter((arg) => !arg.startsWith('-Xm')),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      p.properties,
      '--ignore-formatted',
      // SCRAM credentials go into the metadata log with the format, before the broker ever runs.
      ...scramUsers.flatMap(({ mechanism, name, password }) => [
        '--add-scram',
        `${mechanism}=[name=${name},password=${password}]`,
      ]),
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `kafka.tools.StorageTool format failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.trim()}`,
    );
  }
  return true;
}
