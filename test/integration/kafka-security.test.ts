// The Kafka sink against the test broker's SASL_SSL listeners (test/support/secure-kafka.ts): records
// produced with each SASL mechanism arrive; a wrong password, an untrusted certificate and a
// certificate for another host each turn readiness red with a detail naming the cause, the events
// they answered wait in the journal, and a restart with the setting fixed delivers them. No password
// ever shows in the collector's output or on the admin listener.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliProcess } from '../support/cli.js';
import { tempDir } from '../support/collector.js';
import { uniqueTopic, useKafka, type KafkaForTests } from '../support/kafka.js';
import { unsecuredToken, type SecureKafka } from '../support/secure-kafka.js';
import { waitFor } from '../support/wait.js';
import { consumeAll, sendEvents, writeKafkaConfig } from './kafka-sink-support.js';

const kafka = await useKafka();
const skipReason =
  'skip' in kafka
    ? kafka.skip
    : kafka.secure
      ? undefined
      : 'the broker has no SASL_SSL listeners (KAFKA_BROKERS names an external broker, or openssl is missing)';
const children: CliProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
});

function broker(): KafkaForTests & { secure: SecureKafka } {
  return kafka as KafkaForTests & { secure: SecureKafka };
}

/** `, brokers: […], ssl: …, sasl: …` for writeKafkaConfig. */
function sinkKeys(brokers: string, ssl: string, sasl: string): string {
  return `, brokers: [${brokers}], ssl: ${ssl}, sasl: ${sasl}, deliveryTimeout: 5s`;
}

async function collector(config: string, dir: string, env: Record<string, string> = {}): Promise<CliProcess> {
  const cli = await startCli(['serve', '--config', config], { FOOTFALL_LOG_LEVEL: 'info', ...env }, dir);
  children.push(cli);
  return cli;
}

function adminOf(cli: CliProcess): string {
  const admin = /"admin":"(http:\/\/[^"]+)"/.exec(cli.output())?.[1];
  if (!admin) throw new Error(`no admin listener in the output:\n${cli.output()}`);
  return admin;
}

async function readiness(cli: CliProcess): Promise<{ status: number; body: string }> {
  const response = await fetch(`${adminOf(cli)}/health/ready`);
  return { status: response.status, body: await response.text() };
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}

function journaled(dir: string): string[] {
  return readdirSync(join(dir, 'data', 'spool', 'kafka'), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.spool'));
}

/** Sends `parties` × `perParty` events, expects every one answered 204; returns their ids. */
async function sendAccepted(cli: CliProcess, parties: number, perParty: number): Promise<string[]> {
  const { accepted, statuses } = await sendEvents(cli.address, parties, perParty);
  expect(statuses).toEqual(new Map([[204, parties * perParty]]));
  return [...accepted.values()].flat();
}

async function expectDelivered(topic: string, ids: string[]): Promise<void> {
  const records = await consumeAll(broker().brokers, topic, ids.length);
  expect(new Set(records.map((r) => r.eventId))).toEqual(new Set(ids));
}

describe.skipIf(skipReason !== undefined)(
  `the Kafka sink over SASL_SSL${skipReason ? ` — ${skipReason}` : ''}`,
  () => {
    it('delivers with SCRAM-SHA-512, the CA from a file and the password from the environment', async () => {
      const { secure } = broker();
      const user = secure.users['scram-sha-512'];
      const topic = uniqueTopic('sasl-scram512');
      await broker().createTopic(topic);
      const dir = tempDir();
      const config = writeKafkaConfig(
        dir,
        topic,
        sinkKeys(
          secure.secure,
          `{ ca: ${secure.caFile} }`,
          `{ mechanism: scram-sha-512, username: ${user.username} }`,
        ),
      );
      const cli = await collector(config, dir, { FOOTFALL_KAFKA_SASL_PASSWORD: user.password });
      const ids = await sendAccepted(cli, 5, 20);
      await waitFor(async () => (await readiness(cli)).status === 200, {
        timeout: 20_000,
        message: 'readiness over SASL_SSL',
      });
      const health = await readiness(cli);
      await stop(cli);
      await expectDelivered(topic, ids);
      expect(journaled(dir)).toEqual([]);
      for (const shown of [cli.output(), health.body]) expect(shown).not.toContain(user.password);
    }, 90_000);

    it('delivers with SCRAM-SHA-256 and PLAIN, the password read from a file', async () => {
      const { secure } = broker();
      for (const mechanism of ['scram-sha-256', 'plain'] as const) {
        const user = secure.users[mechanism];
        const topic = uniqueTopic(`sasl-${mechanism}`);
        await broker().createTopic(topic);
        const dir = tempDir();
        writeFileSync(join(dir, 'kafka-password'), `${user.password}\n`);
        const config = writeKafkaConfig(
          dir,
          topic,
          sinkKeys(
            secure.secure,
            `{ ca: ${secure.caFile} }`,
            `{ mechanism: ${mechanism}, username: ${user.username}, passwordFile: kafka-password }`,
          ),
        );
        const cli = await collector(config, dir);
        const ids = await sendAccepted(cli, 2, 10);
        await stop(cli);
        await expectDelivered(topic, ids);
        expect(cli.output()).not.toContain(user.password);
      }
    }, 90_000);

    it('delivers over mutual TLS with a client certificate and no SASL', async () => {
      const { secure } = broker();
      const topic = uniqueTopic('mutual-tls');
      await broker().createTopic(topic);
      const dir = tempDir();
      const config = writeKafkaConfig(
        dir,
        topic,
        `, brokers: [${secure.mutual}], ssl: { ca: ${secure.caFile}, cert: ${secure.clientCert}, key: ${secure.clientKey} }`,
      );
      const cli = await collector(config, dir);
      const ids = await sendAccepted(cli, 2, 10);
      await stop(cli);
      await expectDelivered(topic, ids);
      expect(journaled(dir)).toEqual([]);
    }, 90_000);

    it('re-reads the OAUTHBEARER token file: an expired token holds events, a fresh one sends them', async () => {
      const { secure } = broker();
      const topic = uniqueTopic('sasl-oauth');
      await broker().createTopic(topic);
      const dir = tempDir();
      const tokenFile = join(dir, 'token.jwt');
      writeFileSync(tokenFile, unsecuredToken('footfall', -60));
      const config = writeKafkaConfig(
        dir,
        topic,
        sinkKeys(
          secure.secure,
          `{ ca: ${secure.caFile} }`,
          `{ mechanism: oauthbearer, tokenFile: token.jwt }`,
        ),
      );
      const cli = await collector(config, dir);
      const ids = await sendAccepted(cli, 2, 10);
      let last = '';
      await waitFor(async () => /SASL authentication failed/.test((last = (await readiness(cli)).body)), {
        timeout: 20_000,
        message: () => `readiness to name the refused token; last answer ${last}\n${cli.output()}`,
      });
      expect((await readiness(cli)).status).toBe(503);
      // Whatever refreshes tokens rewrites the file; the sink picks it up without a restart.
      writeFileSync(tokenFile, unsecuredToken('footfall', 3600));
      await waitFor(async () => (await readiness(cli)).status === 200, {
        timeout: 30_000,
        message: 'readiness once the token is fresh',
      });
      await stop(cli);
      await expectDelivered(topic, ids);
    }, 90_000);

    const refusals = [
      {
        cause: 'a wrong password',
        wrong: (s: SecureKafka) =>
          sinkKeys(
            s.secure,
            `{ ca: ${s.caFile} }`,
            `{ mechanism: scram-sha-512, username: ${s.users['scram-sha-512'].username}, password: not-the-password }`,
          ),
        detail: /Kafka \([^)]+\) refused the connection: SASL authentication failed/,
      },
      {
        cause: 'a certificate from a CA it does not trust',
        wrong: (s: SecureKafka) =>
          sinkKeys(
            s.secure,
            'true',
            `{ mechanism: scram-sha-512, username: ${s.users['scram-sha-512'].username}, password: ${s.users['scram-sha-512'].password} }`,
          ),
        detail: /refused the connection: TLS: the broker's certificate is not trusted \(.+\); set ssl\.ca/,
      },
      {
        cause: 'a certificate for another host',
        wrong: (s: SecureKafka) =>
          sinkKeys(
            s.misnamed,
            `{ ca: ${s.caFile} }`,
            `{ mechanism: scram-sha-512, username: ${s.users['scram-sha-512'].username}, password: ${s.users['scram-sha-512'].password} }`,
          ),
        detail:
          /refused the connection: TLS: the broker's certificate does not name the host it was reached at/,
      },
    ];

    for (const { cause, wrong, detail } of refusals) {
      it(`names ${cause}, turns readiness red, and keeps the events until the fixed config sends them`, async () => {
        const { secure } = broker();
        const user = secure.users['scram-sha-512'];
        const topic = uniqueTopic('sasl-refused');
        await broker().createTopic(topic);
        const dir = tempDir();
        const config = writeKafkaConfig(dir, topic, wrong(secure));
        const first = await collector(config, dir);
        const ids = await sendAccepted(first, 4, 10);
        await waitFor(async () => detail.test((await readiness(first)).body), {
          timeout: 20_000,
          message: `readiness to name ${cause}`,
        });
        const health = await readiness(first);
        expect(health.status).toBe(503);
        await stop(first);
        expect(first.output()).toMatch(/"code":"FOOTFALL_ERR_KAFKA_AUTH"/);
        expect(first.output()).toMatch(/Kafka refused the connection/);
        for (const shown of [first.output(), health.body]) {
          expect(shown).not.toContain(user.password);
          expect(shown).not.toContain('not-the-password');
        }
        expect(journaled(dir).length).toBeGreaterThan(0);

        // Fixed: the right listener, the CA, the password. What the journal held arrives.
        writeKafkaConfig(
          dir,
          topic,
          sinkKeys(
            secure.secure,
            `{ ca: ${secure.caFile} }`,
            `{ mechanism: scram-sha-512, username: ${user.username} }`,
          ),
        );
        const second = await collector(config, dir, { FOOTFALL_KAFKA_KAFKA_SASL_PASSWORD: user.password });
        await waitFor(async () => (await readiness(second)).status === 200, {
          timeout: 20_000,
          message: 'readiness after the fix',
        });
        await stop(second);
        await expectDelivered(topic, ids);
        expect(journaled(dir)).toEqual([]);
      }, 90_000);
    }
  },
);

describe('check-config with Kafka security settings', () => {
  it('shows an inline password as [redacted] and refuses a CA file that is not there', async () => {
    const dir = tempDir();
    const config = writeKafkaConfig(
      dir,
      'clicks',
      ', ssl: { ca: ca.pem }, sasl: { mechanism: scram-sha-512, username: footfall, password: s3cret-inline }',
    );
    const missing = await runCli(['check-config', '--config', config]);
    expect(missing.code).toBe(2);
    expect(missing.output).toMatch(
      /FOOTFALL_ERR_KAFKA_CONFIG: kafka sink "kafka": ssl\.ca: cannot read .*ca\.pem \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    const shown = await runCli(['check-config', '--config', config]);
    expect(shown.code).toBe(0);
    expect(shown.output).toMatch(/password: "?\[redacted\]"?/);
    expect(shown.output).not.toContain('s3cret-inline');
  });
});
