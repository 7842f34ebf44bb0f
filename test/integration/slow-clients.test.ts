import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';

/** Opens a connection, sends `bytes`, then says nothing more; resolves with what came back and when. */
function trickle(port: number, bytes: string): Promise<{ answer: string; afterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve({ answer, afterMs: Date.now() - started }));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

describe('slow clients', () => {
  it(
    'are cut off after requestTimeout whether they stall in the headers or the body',
    { timeout: 30_000 },
    async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'f.yaml'), 'server: { requestTimeout: 2s, shutdownDelay: 0 }\n');
      const cli = await startCli(['serve', '--config', 'f.yaml'], {}, dir);
      const port = Number(new URL(cli.address).port);
      try {
        const [headers, body] = await Promise.all([
          trickle(port, 'GET /csc-event?p=1 HTTP/1.1\r\nHost: x\r\nX-Slow: '),
          trickle(
            port,
            'POST /json?p=x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
          ),
        ]);
        for (const slow of [headers, body]) {
          expect(slow.afterMs).toBeGreaterThanOrEqual(1900);
          expect(slow.afterMs).toBeLessThan(6000);
          expect(slow.answer).toMatch(/^HTTP\/1\.1 408|^$/);
        }
        // The collector is still fine afterwards.
        expect(await (await fetch(`${cli.address}/ping`)).text()).toBe('pong');
      } finally {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    },
  );
});
