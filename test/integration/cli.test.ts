import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARTY, readPublished, SESSION, tempDir } from '../support/collector.js';
import { runCli, startCli } from '../support/cli.js';

describe('the footfall CLI as a child process', () => {
  it('stores 1,000 JSON events and publishes each exactly once after SIGTERM', async () => {
    const dir = tempDir();
    const cli = await startCli(['serve'], { FOOTFALL_LOG_LEVEL: 'info' }, dir);
    const url = `${cli.address}/json?p=${encodeURIComponent(PARTY)}`;
    const sent: string[] = [];
    // Ten clients at a time, like a handful of app servers posting in parallel.
    for (let batch = 0; batch < 100; batch++) {
      const requests = Array.from({ length: 10 }, (_, i) => {
        const eventId = `evt-${batch * 10 + i}`;
        sent.push(eventId);
        return fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            session_id: SESSION,
            event_id: eventId,
            is_new_party: false,
            is_new_session: false,
            client_timestamp_iso: new Date().toISOString(),
            event_type: 'tick',
            parameters: { n: batch * 10 + i },
          }),
        }).then((response) => response.status);
      });
      expect(new Set(await Promise.all(requests))).toEqual(new Set([204]));
    }
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);

    const records = await readPublished(path.join(dir, 'data', 'published'));
    const ids = records.map((record) => record.eventId as string);
    expect(ids.length).toBe(1000);
    expect(new Set(ids)).toEqual(new Set(sent));
    expect(records.every((record) => record.detectedDuplicate === false)).toBe(true);
    expect(cli.output()).toMatch(/"outcomes":\{"accepted":1000\}/);
  });

  it('exits with code 2 and names every mistake in a broken config file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(
      file,
      [
        'server:',
        '  port: 70000',
        'sources:',
        '  web: { type: browser, sessionTimeout: soon }',
        'sinks:',
        '  files: { type: file, colour: blue }',
        '',
      ].join('\n'),
    );
    const { code, output } = await runCli(['serve', '--config', file]);
    expect(code).toBe(2);
    for (const keyPath of ['server.port', 'sources.web.sessionTimeout', 'sinks.files.colour']) {
      expect(output).toContain(keyPath);
    }
  });

  it('prints the effective configuration with check-config', async () => {
    const { code, output } = await runCli(['check-config'], { FOOTFALL_PORT: '9999' });
    expect(code).toBe(0);
    expect(output).toMatch(/port: 9999/);
    expect(output).toMatch(/eventSuffix: csc-event/);
  });

  it('answers /ping with 503 while it drains', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'slow.yaml'), 'server: { shutdownDelay: 2s }\n');
    const cli = await startCli(['serve', '--config', 'slow.yaml'], {}, dir);
    expect(await (await fetch(`${cli.address}/ping`)).text()).toBe('pong');
    cli.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ping = await fetch(`${cli.address}/ping`);
    expect(ping.status).toBe(503);
    const ready = await fetch(`${cli.address}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await cli.exited).toBe(0);
  });
});
