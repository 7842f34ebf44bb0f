/**
 * Sends exact bytes over a TCP socket and reads the status line. fetch() refuses (or repairs) most of
 * what a hostile client sends — bad methods, NUL bytes, broken headers — so the bad-input corpus needs
 * a client that sends what it is told.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  /** HTTP status, or 0 when the server closed the connection without a status line. */
  readonly status: number;
  readonly head: string;
  /** The body of the first response, as far as its Content-Length says (empty without one). */
  readonly body: string;
}

export function sendRaw(port: number, bytes: Buffer, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = received.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const end = text.indexOf('\r\n\r\n');
      const length = end === -1 ? null : /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      resolve({
        status: match ? Number(match[1]) : 0,
        head: text.slice(0, end + 1 || 512),
        body: length ? received.subarray(end + 4, end + 4 + Number(length[1])).toString('utf8') : '',
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // One response is all we want: stop once its head has arrived and its body (if any) is complete.
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = received.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      const bodyLength = length ? Number(length[1]) : 0;
      if (received.length >= end + 4 + bodyLength) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.end(bytes));
  });
}
