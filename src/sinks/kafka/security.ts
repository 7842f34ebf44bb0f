/**
 * TLS and SASL for the Kafka sink, resolved once from config into what any Kafka client takes: PEM
 * contents rather than paths, a password rather than where to find it, and for OAUTHBEARER a function
 * that returns the current token. The client adapter (client.ts) only maps these onto its library.
 *
 * Secrets never leave this module as text someone prints: the resolved password sits in a field that
 * JSON, pino and util.inspect show as "[redacted]", and every error message names the key, the file or
 * the environment variable, never the value.
 */
import { readFileSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import type { KafkaSinkConfig } from '../../config/index.js';
import { KafkaSinkError } from './options.js';

/** PEM contents for the TLS handshake; no `ca` means the system's CAs. */
interface KafkaTls {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
}

export type KafkaSasl =
  | {
      readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
      readonly username: string;
      readonly password: Secret;
    }
  | {
      readonly mechanism: 'oauthbearer';
      /** The current token; reads the token file again whenever it changed. */
      readonly token: () => string;
    };

export interface KafkaSecurity {
  /** null: plaintext. */
  readonly tls: KafkaTls | null;
  /** null: no authentication. */
  readonly sasl: KafkaSasl | null;
}

/** A secret string that prints as "[redacted]" however it is logged or serialised. */
class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return '[redacted]';
  }
}

/**
 * Where a Kafka sink's SASL password may come from in the environment, first match wins: one variable
 * per sink (the sink's name upper-cased, anything but letters and digits made `_`), then one for
 * every Kafka sink. Both beat `password` and `passwordFile` in the file.
 */
export function saslPasswordEnvNames(sinkName: string): [perSink: string, everySink: string] {
  const id = sinkName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return [`FOOTFALL_KAFKA_${id}_SASL_PASSWORD`, 'FOOTFALL_KAFKA_SASL_PASSWORD'];
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the files and variables the sink's `ssl` and `sasl` keys name. Throws
 * FOOTFALL_ERR_KAFKA_CONFIG naming the key and the file when one cannot be read, so a typo in a path
 * stops the start instead of surfacing as a handshake failure an hour later.
 */
export function resolveKafkaSecurity(
  sinkName: string,
  config: Pick<KafkaSinkConfig, 'ssl' | 'sasl'>,
  env: Env = process.env,
): KafkaSecurity {
  const fail = (message: string): never => {
    throw new KafkaSinkError('FOOTFALL_ERR_KAFKA_CONFIG', `kafka sink "${sinkName}": ${message}`);
  };
  const read = (key: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      return fail(`${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };

  const ssl = config.ssl;
  let tls: KafkaTls | null = null;
  if (ssl === true) tls = { rejectUnauthorized: true };
  else if (ssl !== false) {
    tls = {
      rejectUnauthorized: ssl.rejectUnauthorized,
      ...(ssl.ca === undefined ? {} : { ca: read('ssl.ca', ssl.ca) }),
      ...(ssl.cert === undefined ? {} : { cert: read('ssl.cert', ssl.cert) }),
      ...(ssl.key === undefined ? {} : { key: read('ssl.key', ssl.key) }),
    };
  }

  const sasl = config.sasl;
  if (!sasl) return { tls, sasl: null };
  if (sasl.mechanism === 'oauthbearer') {
    const file = sasl.tokenFile as string;
    // Read once now so that a missing file is a start-up error, not a failed handshake.
    if (!read('sasl.tokenFile', file).trim()) fail(`sasl.tokenFile: ${file} is empty`);
    return { tls, sasl: { mechanism: 'oauthbearer', token: tokenFileReader(sinkName, file) } };
  }
  const names = saslPasswordEnvNames(sinkName);
  const fromEnv = names.find((name) => env[name] !== undefined && env[name] !== '');
  let password: string | undefined;
  if (fromEnv !== undefined) password = env[fromEnv];
  else if (sasl.passwordFile !== undefined)
    password = read('sasl.passwordFile', sasl.passwordFile).replace(/\r?\n$/, '');
  else password = sasl.password;
  if (!password) {
    fail(
      `sasl: ${sasl.mechanism} needs a password: set ${names[0]} or ${names[1]}, or sasl.passwordFile, or sasl.password`,
    );
  }
  return {
    tls,
    sasl: {
      mechanism: sasl.mechanism,
      username: sasl.username as string,
      password: new Secret(password as string),
    },
  };
}

/**
 * The token in `file`, read again when its size or modification time changed. A stat per call is
 * cheap: clients ask only when they connect or re-authenticate, not per record.
 */
function tokenFileReader(sinkName: string, file: string): () => string {
  let seen = '';
  let token = '';
  return () => {
    let stamp: string;
    try {
      const stat = statSync(file);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (stamp !== seen) {
        token = readFileSync(file, 'utf8').trim();
        seen = stamp;
      }
    } catch (err) {
      // A plain Error: at this point it is a failed login to retry (the file may come back), not a
      // configuration the start should stop on, which is what KafkaSinkError means to the sink.
      throw new Error(
        `kafka sink "${sinkName}": sasl.tokenFile: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
      );
    }
    return token;
  };
}

/** Node's codes for a certificate chain that does not lead to a trusted CA. */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * What a failed connection says about TLS or SASL, in words that name the cause and the key to look
 * at; null when the failure is something else (an outage). Looks through the client's wrapping
 * (`cause`, `originalError`, `errors`) as classifyKafkaError does.
 */
export function explainSecurityError(err: unknown): string | null {
  for (const e of errorCauses(err)) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /does not match certificate's altnames/i.test(text)) {
      return `TLS: the broker's certificate does not name the host it was reached at (${text}); list the brokers by a name the certificate holds`;
    }
    if (
      (typeof code === 'string' && UNTRUSTED.has(code)) ||
      /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer/i.test(
        text,
      )
    ) {
      const why = typeof code === 'string' && UNTRUSTED.has(code) ? `${code}: ${text}` : text;
      return `TLS: the broker's certificate is not trusted (${why}); set ssl.ca to the CA that signed it`;
    }
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      return `TLS: the broker's certificate is not valid now (${code}: ${text})`;
    }
    if (
      (typeof name === 'string' && /SASL|Authentication/i.test(name)) ||
      // The last: Kafka's ILLEGAL_SASL_STATE, what a client that missed the broker's refusal of an
      // OAUTHBEARER token gets for its next request.
      /authentication failed|invalid credentials|current SASL state/i.test(text)
    ) {
      return `SASL authentication failed: check sasl.mechanism, the username and the password or token (${text})`;
    }
    if (text.includes('sasl.tokenFile: cannot read'))
      return `SASL: ${text.replace(/^kafka sink "[^"]*": /, '')}`;
  }
  return null;
}

/**
 * The error and everything it wraps (`cause`, `originalError`, `errors`), breadth first, each once:
 * the client wraps a broker's answer in retries and aggregate errors.
 */
export function* errorCauses(err: unknown): Generator<object> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || typeof next !== 'object' || seen.has(next)) continue;
    seen.add(next);
    yield next;
    const { cause, originalError, errors } = next as {
      cause?: unknown;
      originalError?: unknown;
      errors?: unknown;
    };
    queue.push(cause, originalError);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
}
