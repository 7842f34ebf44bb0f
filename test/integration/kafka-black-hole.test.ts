import { createServer, type Socket } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';
import { sendEvents, writeKafkaConfig } from './kafka-sink-support.js';

/** Bytes under a folder, recursively. */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : statSync(full).size;
  }
  return total;
}

describe('a Kafka broker that accepts connections but never answers', () => {
  it(
    'keeps the collector up and answering, readiness red, and every event in the spool',
    { timeout: 90_000 },
    async () => {
      // A "broker" that takes the TCP connection and then says nothing, like a hung process or a
      // half-dead load balancer in front of Kafka.
      const sockets: Socket[] = [];
      const blackHole = createServer((socket) => {
        sockets.push(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const port = (blackHole.address() as { port: number }).port;
      const dir = tempDir();
      writeKafkaConfig(dir, 'never', `, brokers: [127.0.0.1:${port}]`);
      const cli = await startCli(['serve', '--config', 'footfall.yaml'], { FOOTFALL_LOG_LEVEL: 'info' }, dir);
      try {
        expect(sockets.length).toBeGreaterThan(0);
        const result = await sendEvents(cli.address, 5, 40);
        expect(result.statuses).toEqual(new Map([[204, 200]]));
        const ready = await fetch(`${cli.address}/health/ready`);
        expect(ready.status).toBe(503);
        expect(await (await fetch(`${cli.address}/ping`)).text()).toBe('pong');
      } finally {
        cli.child.kill('SIGTERM');
      }
      // Shutdown cannot drain to a silent broker: it gives up at the deadline and keeps the rest spooled.
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/"accepted":200/);
      expect(folderBytes(path.join(dir, 'data', 'spool'))).toBeGreaterThan(200 * 100);
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    },
  );
});
