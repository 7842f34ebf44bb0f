// What the test broker needs for SASL_SSL: a private CA made with openssl, a broker certificate for
// 127.0.0.1 and localhost, a second one signed by the same CA for a name the broker does not have
// (the hostname-mismatch test), and users for every SASL mechanism the Kafka sink speaks. SCRAM users
// are written by Kafka's own StorageTool when it formats the storage (broker.mjs, scramUsers).
//
// Two SASL_SSL listeners: SECURE presents the right certificate, MISNAMED the wrong-name one; and
// MUTUAL, TLS that wants a client certificate from the same CA instead of SASL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolMissingError, type StartOptions } from '../../scripts/kafka/broker.mjs';

/** What a test needs to reach the SASL_SSL listeners; JSON, so the global setup can hand it to workers. */
export interface SecureKafka {
  /** SASL_SSL with a certificate for 127.0.0.1 and localhost. */
  readonly secure: string;
  /** SASL_SSL with a certificate for kafka.invalid only: every client must refuse it. */
  readonly misnamed: string;
  /** SSL without SASL, wanting a client certificate signed by the CA (mutual TLS). */
  readonly mutual: string;
  /** PEM files of a client certificate and key the CA signed, for `mutual`. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** PEM of the CA that signed both broker certificates. */
  readonly caFile: string;
  readonly users: {
    readonly 'scram-sha-512': { readonly username: string; readonly password: string };
    readonly 'scram-sha-256': { readonly username: string; readonly password: string };
    readonly plain: { readonly username: string; readonly password: string };
  };
}

const KEYSTORE_PASSWORD = 'footfall-test-keystore';

function openssl(cwd: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new ToolMissingError(
      'openssl',
      `cannot run openssl (${result.error.message}); the SASL_SSL tests need it: apt-get install openssl`,
    );
  }
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

/** A key and a certificate for `altNames` signed by the CA in `dir`, packed as a PKCS#12 keystore. */
function brokerKeystore(dir: string, name: string, altNames: string, usage = 'serverAuth'): string {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${altNames}\nextendedKeyUsage=${usage}\n`);
  openssl(dir, [
    'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`,
  ]); // prettier-ignore
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '7', '-extfile', `${name}.ext`, '-out', `${name}.pem`,
  ]); // prettier-ignore
  openssl(dir, [
    'pkcs12', '-export', '-in', `${name}.pem`, '-inkey', `${name}.key`, '-certfile', 'ca.pem',
    '-name', name, '-out', `${name}.p12`, '-passout', `pass:${KEYSTORE_PASSWORD}`,
  ]); // prettier-ignore
  return join(dir, `${name}.p12`);
}

function listenerTls(listener: string, keystore: string): string {
  const prefix = `listener.name.${listener.toLowerCase()}`;
  return [
    `${prefix}.ssl.keystore.type=PKCS12`,
    `${prefix}.ssl.keystore.location=${keystore}`,
    `${prefix}.ssl.keystore.password=${KEYSTORE_PASSWORD}`,
    `${prefix}.ssl.key.password=${KEYSTORE_PASSWORD}`,
  ].join('\n');
}

function listenerSasl(listener: string, plain: { username: string; password: string }): string {
  const prefix = `listener.name.${listener.toLowerCase()}`;
  return [
    `${prefix}.sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER`,
    `${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${plain.username}="${plain.password}";`,
    `${prefix}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    `${prefix}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    // Unsecured (unsigned) JWTs, which is what the broker validates by default: enough to test that
    // the sink reads and re-reads its token file; a real cluster validates signed tokens.
    `${prefix}.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="broker";`,
  ].join('\n');
}

/**
 * Makes the CA, the certificates and the users in `dir`, and returns the broker options that add the
 * two SASL_SSL listeners, with a function that turns the started broker's ports into a SecureKafka.
 */
function secureBrokerOptions(dir: string): {
  options: Required<Pick<StartOptions, 'listeners' | 'properties' | 'scramUsers'>>;
  describe: (listeners: Record<string, string>) => SecureKafka;
} {
  mkdirSync(dir, { recursive: true });
  openssl(dir, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '7', '-subj', '/CN=Footfall test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  const secure = brokerKeystore(dir, 'broker', 'IP:127.0.0.1,DNS:localhost');
  const misnamed = brokerKeystore(dir, 'misnamed', 'DNS:kafka.invalid');
  // The client's certificate: the same recipe, its .pem and .key are what the sink reads.
  brokerKeystore(dir, 'client', 'DNS:footfall.test', 'clientAuth');
  const secret = (): string => randomBytes(12).toString('hex');
  const users = {
    'scram-sha-512': { username: 'footfall-scram512', password: secret() },
    'scram-sha-256': { username: 'footfall-scram256', password: secret() },
    plain: { username: 'footfall-plain', password: secret() },
  };
  return {
    options: {
      listeners: [
        { name: 'SECURE', protocol: 'SASL_SSL' },
        { name: 'MISNAMED', protocol: 'SASL_SSL' },
        { name: 'MUTUAL', protocol: 'SSL' },
      ],
      properties: () =>
        [
          listenerTls('SECURE', secure),
          listenerSasl('SECURE', users.plain),
          listenerTls('MISNAMED', misnamed),
          listenerSasl('MISNAMED', users.plain),
          listenerTls('MUTUAL', secure),
          'listener.name.mutual.ssl.client.auth=required',
          'listener.name.mutual.ssl.truststore.type=PEM',
          `listener.name.mutual.ssl.truststore.location=${join(dir, 'ca.pem')}`,
          '',
        ].join('\n'),
      scramUsers: [
        {
          mechanism: 'SCRAM-SHA-512',
          name: users['scram-sha-512'].username,
          password: users['scram-sha-512'].password,
        },
        {
          mechanism: 'SCRAM-SHA-256',
          name: users['scram-sha-256'].username,
          password: users['scram-sha-256'].password,
        },
      ],
    },
    describe: (listeners) => ({
      secure: listeners.SECURE as string,
      misnamed: listeners.MISNAMED as string,
      mutual: listeners.MUTUAL as string,
      clientCert: join(dir, 'client.pem'),
      clientKey: join(dir, 'client.key'),
      caFile: join(dir, 'ca.pem'),
      users,
    }),
  };
}

type SecureOptions = ReturnType<typeof secureBrokerOptions>;

/**
 * secureBrokerOptions, or none when openssl is missing outside CI: the broker then starts without the
 * secured listeners, so only the tests that need them skip. Under CI a missing openssl fails the run.
 */
export function secureBrokerOptionsIfPossible(dir: string): SecureOptions | undefined {
  try {
    return secureBrokerOptions(dir);
  } catch (error) {
    if (!(error instanceof ToolMissingError) || process.env.CI) throw error;
    console.warn(`Kafka SASL_SSL listeners left out: ${error.message}`);
    return undefined;
  }
}

/** An unsigned JWT (alg "none") for `subject`, valid for `seconds`: what the test broker accepts. */
export function unsecuredToken(subject: string, seconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: subject, iat: now, exp: now + seconds })}.`;
}
