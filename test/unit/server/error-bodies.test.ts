/**
 * Every error the public port answers has the documented shape and echoes nothing of the request,
 * including what Node's HTTP parser and Fastify's router refuse before any route runs.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunningCollector } from '../../../src/collector/collector.js';
import { collectorPerTest } from '../../support/collector.js';

const { start } = collectorPerTest('server: { shutdownDelay: 0, requestTimeout: 1s, maxHeaderSize: 4kb }\n');

/** Sends the bytes and reads everything until the server closes the connection. */
function exchange(port: number, bytes: string, keepOpen = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    socket.on('connect', () => (keepOpen ? socket.write(bytes, 'latin1') : socket.end(bytes, 'latin1')));
  });
}

async function listening(c: RunningCollector): Promise<number> {
  const address = await c.app.listen({ host: '127.0.0.1', port: 0 });
  return Number(new URL(address).port);
}

const MARKER = 'zqx<script>';

describe('error answers', () => {
  it.each([
    ['an unknown method', `F${MARKER} /x HTTP/1.1\r\nHost: a\r\n\r\n`, 400, 'FOOTFALL_ERR_BAD_REQUEST'],
    [
      'a NUL in a header',
      `GET / HTTP/1.1\r\nHost: a\r\nX-${MARKER}: a\0b\r\n\r\n`,
      400,
      'FOOTFALL_ERR_BAD_REQUEST',
    ],
    [
      'headers over maxHeaderSize',
      `GET /${MARKER} HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(5000)}\r\n\r\n`,
      431,
      'FOOTFALL_ERR_HEADERS_TOO_LARGE',
    ],
    [
      'broken chunked framing',
      `POST /json HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${MARKER}\r\nabc\r\n0\r\n\r\n`,
      400,
      'FOOTFALL_ERR_BAD_REQUEST',
    ],
    [
      'an undecodable path',
      `GET /%E0%A4%A${MARKER} HTTP/1.1\r\nHost: a\r\n\r\n`,
      400,
      'FOOTFALL_ERR_BAD_REQUEST',
    ],
    [
      'an unknown path',
      `GET /${MARKER} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
      404,
      'FOOTFALL_ERR_NOT_FOUND',
    ],
  ])(
    'answers %s with the documented body and nothing from the request',
    async (_name, bytes, status, code) => {
      const c = await start();
      const port = await listening(c);
      const answer = await exchange(port, bytes);
      expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/i);
      expect(JSON.parse(body!)).toEqual({ error: code, message: expect.any(String) });
      expect(answer).not.toContain('zqx');
      expect(answer).not.toContain('script');
    },
  );

  it('answers a request slower than requestTimeout with 408 and the documented body', async () => {
    const c = await start();
    const port = await listening(c);
    const answer = await exchange(port, 'GET /csc-event HTTP/1.1\r\nHost: a\r\n', true);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(answer.split('\r\n\r\n')[1]!)).toMatchObject({ error: 'FOOTFALL_ERR_TIMEOUT' });
  });

  it('answers 503 with the documented body to a request that arrives while the app closes', async () => {
    const c = await start();
    const port = await listening(c);
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    // A request in flight keeps the connection busy while the app begins to close.
    socket.write('POST /json HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nab');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = c.app.close();
    socket.write('cdGET /health/live HTTP/1.1\r\nHost: a\r\n\r\n');
    await closed;
    await closing;
    const answers = Buffer.concat(chunks).toString('latin1');
    const second = answers.slice(answers.indexOf('HTTP/1.1', 1));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(second.split('\r\n\r\n')[1]!)).toEqual({
      error: 'FOOTFALL_ERR_UNAVAILABLE',
      message: expect.any(String),
    });
  });
});
