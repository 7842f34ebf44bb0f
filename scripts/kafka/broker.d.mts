// Types for broker.mjs, which stays plain JavaScript so it runs without a build step.

export declare const repoRoot: string;
/** .cache/kafka under the repository root: jars in libs/, the default broker's files beside them. */
export declare const cacheRoot: string;
export declare const libsDir: string;
/** The folder `kafka.mjs` uses when no --dir is given (the same as cacheRoot). */
export declare const defaultDir: string;
/** Process exit code used when java or mvn is missing. */
export declare const EXIT_TOOL_MISSING: 3;

/** java (17+), mvn or (for the test broker's TLS listeners) openssl is missing; the message says what to install. */
export declare class ToolMissingError extends Error {
  readonly tool: 'java' | 'mvn' | 'openssl';
  readonly exitCode: 3;
  constructor(tool: 'java' | 'mvn' | 'openssl', message: string);
}

export interface StartOptions {
  /** Folder for server.properties, data/ and logs/; reusing it keeps the topics. Default: cacheRoot. */
  dir?: string;
  /** PLAINTEXT port on 127.0.0.1. Default: the port this dir used last if still free, else a free one. */
  port?: number;
  /** CONTROLLER port on 127.0.0.1, chosen the same way as `port`. */
  controllerPort?: number;
  /** Delete the data and the remembered ports and cluster id before starting. */
  fresh?: boolean;
  /** Pid whose death makes the broker an orphan for reapOrphans(); test runs pass their own. */
  owner?: number;
  /** Extra JVM flags after KAFKA_OPTS, e.g. ['-XX:TieredStopAtLevel=1'] for short-lived test brokers. */
  jvmOptions?: string[];
  /** How long to wait for the admin client to see the broker. Default 90 000 ms. */
  readyTimeoutMs?: number;
  /** Progress lines; default: stderr prefixed with [kafka]. */
  log?: (line: string) => void;
  /** Listeners besides PLAINTEXT and CONTROLLER, each on a free port of 127.0.0.1 and advertised there. */
  listeners?: { name: string; protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL' }[];
  /** Lines appended to server.properties, given the extra listeners' ports by name (e.g. their TLS keys). */
  properties?: (listenerPorts: Record<string, number>) => string;
  /** SCRAM credentials written into the metadata log when the storage is formatted. */
  scramUsers?: { mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; name: string; password: string }[];
}

export interface BrokerHandle {
  /** "127.0.0.1:<port>", ready for a kafkajs `brokers` list. */
  readonly brokers: string;
  readonly port: number;
  readonly controllerPort: number;
  /** "127.0.0.1:<port>" of each extra listener, by name. */
  readonly listeners: Record<string, string>;
  readonly dir: string;
  readonly kafkaVersion: string;
  /** Milliseconds from the startBroker call to readiness, including any jar resolution. */
  readonly readyMs: number;
  /** The JVM's pid; changes after restart(). */
  readonly pid: number;
  /** SIGTERM, SIGKILL after 30 s, then forget the state file. Data stays in `dir`. */
  stop(): Promise<void>;
  /** Signal the JVM without waiting, e.g. kill('SIGKILL') to simulate a crash. Default SIGKILL. */
  kill(signal?: NodeJS.Signals | number): void;
  /** Stop if still running, then start again on the same ports and data, and wait until ready. */
  restart(): Promise<void>;
}

export interface BrokerState {
  running: boolean;
  dir: string;
  pid?: number;
  brokers?: string;
  port?: number;
  controllerPort?: number;
  kafkaVersion?: string;
  startedAt?: string;
  readyMs?: number;
  owner?: number;
  serverLog?: string;
}

export declare function startBroker(options?: StartOptions): Promise<BrokerHandle>;
export declare function stopBroker(options?: {
  dir?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<{ outcome: 'stopped' | 'killed' | 'not-running'; pid: number | undefined }>;
export declare function brokerStatus(options?: { dir?: string }): BrokerState;
/** Resolve the jars with Maven unless the cached ones match pom.xml. */
export declare function ensureLibs(options?: { log?: (line: string) => void }): Promise<{
  libsDir: string;
  resolved: boolean;
  kafkaVersion: string | undefined;
  ms: number;
}>;
/** The Kafka version on the cached classpath, or undefined before the first resolve. */
export declare function installedKafkaVersion(): string | undefined;
/** Throws ToolMissingError unless a Java 17+ runtime can be run. */
export declare function checkJava(): { java: string; major: number };
export declare function isAlive(pid: number): boolean;
/** Stop and delete .cache/kafka/test-<pid> folders whose owning process has died. */
export declare function reapOrphans(options?: { log?: (line: string) => void }): Promise<string[]>;
