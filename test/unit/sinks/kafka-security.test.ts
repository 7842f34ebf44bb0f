// The Kafka sink's TLS and SASL settings: what config accepts and refuses, how files and secrets are
// resolved, that a secret never prints, and how TLS and SASL failures are put into words.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig, type KafkaSinkConfig } from '../../../src/config/index.js';
import { kafkaSinkOptions } from '../../../src/sinks/kafka/options.js';
import {
  explainSecurityError,
  resolveKafkaSecurity,
  saslPasswordEnvNames,
  type KafkaSasl,
} from '../../../src/sinks/kafka/security.js';
import { silentLogger } from '../../../src/sinks/sink-logger.js';
import { tempDir } from '../../support/collector.js';

const PASSWORD = 'pa55-w0rd-never-printed';

function kafkaSink(yaml: string, env: Record<string, string> = {}): { sink: KafkaSinkConfig; dir: string } {
  const dir = tempDir('footfall-kafka-security-');
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(
    file,
    `sinks: { kafka: { type: kafka, ${yaml} } }\nmappings: { clicks: { sources: [app], sinks: [kafka] } }\nsources: { app: { type: json } }\n`,
  );
  const result = loadConfig({ file, env });
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  return { sink: result.config.sinks.kafka as KafkaSinkConfig, dir };
}

function issuesOf(yaml: string): string[] {
  const dir = tempDir('footfall-kafka-security-');
  const file = path.join(dir, 'footfall.yaml');
  writeFileSync(file, `sinks: { kafka: { type: kafka, ${yaml} } }\n`);
  const result = loadConfig({ file, env: {} });
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('Kafka sink ssl and sasl keys', () => {
  it('defaults to plaintext without authentication', () => {
    const { sink } = kafkaSink('topic: t');
    expect(sink.ssl).toBe(false);
    expect(sink.sasl).toBeUndefined();
    expect(resolveKafkaSecurity('kafka', sink, {})).toEqual({ tls: null, sasl: null });
  });

  it('takes ssl: true as the system CAs', () => {
    const { sink } = kafkaSink('ssl: true');
    expect(resolveKafkaSecurity('kafka', sink, {}).tls).toEqual({ rejectUnauthorized: true });
  });

  it('reads the PEM files, relative to the config file', () => {
    const dir = tempDir('footfall-pem-');
    const { sink, dir: configDir } = kafkaSink(
      `ssl: { ca: ${path.join(dir, 'ca.pem')}, cert: client.pem, key: client.key }`,
    );
    writeFileSync(path.join(dir, 'ca.pem'), 'CA PEM');
    writeFileSync(path.join(configDir, 'client.pem'), 'CERT PEM');
    writeFileSync(path.join(configDir, 'client.key'), 'KEY PEM');
    expect(resolveKafkaSecurity('kafka', sink, {}).tls).toEqual({
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
      rejectUnauthorized: true,
    });
  });

  it('refuses conflicting or incomplete keys with a message naming them', () => {
    expect(issuesOf('ssl: { cert: a.pem }')).toEqual([
      'sinks.kafka.ssl: cert and key go together: a client certificate needs its private key',
    ]);
    expect(issuesOf('sasl: { mechanism: scram-sha-512, username: u, password: p, passwordFile: f }')).toEqual(
      ['sinks.kafka.sasl.passwordFile: give password or passwordFile, not both'],
    );
    expect(issuesOf('sasl: { mechanism: plain, password: p }')).toEqual([
      'sinks.kafka.sasl.username: plain needs a username',
    ]);
    expect(issuesOf('sasl: { mechanism: oauthbearer, username: u }')).toEqual([
      'sinks.kafka.sasl.tokenFile: oauthbearer needs tokenFile, the file holding the current token',
      'sinks.kafka.sasl.username: oauthbearer takes a token (tokenFile), not a username',
    ]);
    expect(issuesOf('sasl: { mechanism: scram-sha-256, username: u, password: p, tokenFile: t }')).toEqual([
      'sinks.kafka.sasl.tokenFile: only oauthbearer reads a token file',
    ]);
    expect(issuesOf('sasl: { mechanism: gssapi, username: u }')[0]).toMatch(
      /^sinks\.kafka\.sasl\.mechanism: .*plain.*scram-sha-512.*oauthbearer/,
    );
  });

  it('names the key and the file it cannot read, never its content', () => {
    const { sink } = kafkaSink('ssl: { ca: missing-ca.pem }');
    expect(() => resolveKafkaSecurity('kafka', sink, {})).toThrow(
      /FOOTFALL_ERR_KAFKA_CONFIG: kafka sink "kafka": ssl\.ca: cannot read .*missing-ca\.pem \(ENOENT\)/,
    );
    const token = kafkaSink('sasl: { mechanism: oauthbearer, tokenFile: nowhere.jwt }').sink;
    expect(() => resolveKafkaSecurity('kafka', token, {})).toThrow(
      /sasl\.tokenFile: cannot read .*nowhere\.jwt/,
    );
  });

  it('says where a password may come from when none is given', () => {
    const { sink } = kafkaSink('sasl: { mechanism: scram-sha-512, username: footfall }');
    expect(() => resolveKafkaSecurity('events-eu', sink, {})).toThrow(
      'sasl: scram-sha-512 needs a password: set FOOTFALL_KAFKA_EVENTS_EU_SASL_PASSWORD or FOOTFALL_KAFKA_SASL_PASSWORD, or sasl.passwordFile, or sasl.password',
    );
  });

  it('takes the password from the sink’s variable, then the shared one, then the file, then the key', () => {
    const { sink, dir } = kafkaSink(
      'sasl: { mechanism: scram-sha-512, username: footfall, passwordFile: secret.txt }',
    );
    writeFileSync(path.join(dir, 'secret.txt'), 'from-file\n');
    const password = (env: Record<string, string>): string => {
      const sasl = resolveKafkaSecurity('kafka', sink, env).sasl as Extract<KafkaSasl, { username: string }>;
      return sasl.password.reveal();
    };
    expect(password({})).toBe('from-file');
    expect(password({ FOOTFALL_KAFKA_SASL_PASSWORD: 'shared' })).toBe('shared');
    expect(
      password({ FOOTFALL_KAFKA_SASL_PASSWORD: 'shared', FOOTFALL_KAFKA_KAFKA_SASL_PASSWORD: 'own' }),
    ).toBe('own');
    const inline = kafkaSink('sasl: { mechanism: plain, username: footfall, password: inline }').sink;
    expect(
      (
        resolveKafkaSecurity('kafka', inline, {}).sasl as { password: { reveal(): string } }
      ).password.reveal(),
    ).toBe('inline');
    expect(saslPasswordEnvNames('eu.west-1')).toEqual([
      'FOOTFALL_KAFKA_EU_WEST_1_SASL_PASSWORD',
      'FOOTFALL_KAFKA_SASL_PASSWORD',
    ]);
  });

  it('never prints the password: JSON, util.inspect, String and a pino log line show "[redacted]"', () => {
    const { sink } = kafkaSink('sasl: { mechanism: scram-sha-512, username: footfall }');
    const options = kafkaSinkOptions('kafka', sink, silentLogger, { FOOTFALL_KAFKA_SASL_PASSWORD: PASSWORD });
    const lines: string[] = [];
    const logger = pino({}, { write: (line: string) => lines.push(line) });
    logger.info({ options }, 'options');
    const shown = [
      JSON.stringify(options),
      inspect(options, { depth: 10 }),
      lines.join(''),
      `${String(options.security?.sasl && 'password' in options.security.sasl ? options.security.sasl.password : '')}`,
    ];
    for (const text of shown) {
      expect(text).not.toContain(PASSWORD);
      expect(text).toContain('[redacted]');
    }
  });

  it('reads the OAUTHBEARER token file again when it changes', () => {
    const { sink, dir } = kafkaSink('sasl: { mechanism: oauthbearer, tokenFile: token.jwt }');
    const file = path.join(dir, 'token.jwt');
    writeFileSync(file, 'first-token\n');
    const sasl = resolveKafkaSecurity('kafka', sink, {}).sasl as Extract<
      KafkaSasl,
      { mechanism: 'oauthbearer' }
    >;
    expect(sasl.token()).toBe('first-token');
    writeFileSync(file, 'second-token-longer\n');
    expect(sasl.token()).toBe('second-token-longer');
    // Gone later (a sidecar mid-rewrite): a failed login to retry, described without the token.
    rmSync(file);
    let error: unknown;
    try {
      sasl.token();
    } catch (err) {
      error = err;
    }
    expect(explainSecurityError(error)).toMatch(
      /^SASL: sasl\.tokenFile: cannot read .*token\.jwt \(ENOENT\)$/,
    );
  });
});

describe('explaining TLS and SASL failures', () => {
  const tlsError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

  it('names an untrusted certificate and the key that fixes it', () => {
    const wrapped = new Error('Connection error', {
      cause: tlsError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'),
    });
    expect(explainSecurityError(wrapped)).toBe(
      "TLS: the broker's certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain); set ssl.ca to the CA that signed it",
    );
  });

  it('names a certificate for another host', () => {
    const err = tlsError(
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames: IP: 127.0.0.1 is not in the cert's list: ",
    );
    expect(explainSecurityError({ originalError: err })).toMatch(
      /^TLS: the broker's certificate does not name the host it was reached at \(Hostname\/IP does not match/,
    );
  });

  it('names a refused login', () => {
    const err = Object.assign(
      new Error(
        'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      ),
      { name: 'KafkaJSSASLAuthenticationError' },
    );
    expect(explainSecurityError(err)).toMatch(/^SASL authentication failed: check sasl\.mechanism/);
  });

  it('takes a request refused for the SASL state (a rejected OAUTHBEARER token) as a refused login', () => {
    const err = new Error('Listing topics failed.', {
      cause: new Error('Request is not valid given the current SASL state.'),
    });
    expect(explainSecurityError(err)).toBe(
      'SASL authentication failed: check sasl.mechanism, the username and the password or token (Request is not valid given the current SASL state.)',
    );
  });

  it('leaves an outage alone', () => {
    expect(explainSecurityError(new Error('connect ECONNREFUSED 127.0.0.1:9092'))).toBeNull();
    expect(explainSecurityError('timeout')).toBeNull();
  });
});
