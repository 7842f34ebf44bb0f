// A paced load generator: requests leave at a steady rate, spread evenly over time (a few per
// millisecond timer tick), whatever the server does.
//
// autocannon's `overallRate` does not pace: each connection sends its whole per-second quota as fast
// as it can and then waits for the next second, so "50% load" is really saturation for half of every
// second, and its coordinated-omission correction then back-fills latencies on a 1 ms grid. Both made
// p99 at partial load look several times worse than what a steady stream of visitors sees.
//
// Sending never waits for an answer: a busy connection gets the next request pipelined behind the one
// in flight, so a slow server shows up as latency, never as a lower rate (no coordinated omission),
// and latency can be timed from the moment a request is written.
import { connect } from 'node:net';

/**
 * @param {object} options
 * @param {number} options.port  collector on 127.0.0.1
 * @param {number} options.rate  requests per second
 * @param {number} options.seconds
 * @param {number} [options.connections]
 * @param {() => {method?: string, path: string, headers?: Record<string,string>, body?: string, context?: unknown}} options.next
 *   the next request to send
 * @param {(status: number, context: unknown) => void} [options.onResponse]
 * @returns {Promise<{sent: number, answered: number, statuses: Record<string, number>, errors: number,
 *   p50Ms: number, p90Ms: number, p99Ms: number, maxMs: number, seconds: number}>}
 */
export async function paced({ port, rate, seconds, connections = 10, next, onResponse = () => {} }) {
  const sockets = await Promise.all(Array.from({ length: connections }, () => open(port)));
  const latencies = new Float64Array(Math.ceil(rate * seconds) + 16);
  const statuses = {};
  let answered = 0;
  let sent = 0;

  const lanes = sockets.map((socket) => {
    const lane = { socket, waiting: [], buffer: Buffer.alloc(0), closed: false };
    socket.on('data', (chunk) => {
      lane.buffer = lane.buffer.length === 0 ? chunk : Buffer.concat([lane.buffer, chunk]);
      for (;;) {
        const response = takeResponse(lane.buffer);
        if (!response) break;
        lane.buffer = lane.buffer.subarray(response.length);
        const request = lane.waiting.shift();
        if (!request) break;
        latencies[answered++] = Number(process.hrtime.bigint() - request.due) / 1e6;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        onResponse(response.status, request.context);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      lane.closed = true;
      lane.waiting.length = 0;
    });
    return lane;
  });

  const start = process.hrtime.bigint();
  const intervalNs = 1e9 / rate;
  const total = Math.floor(rate * seconds);
  let turn = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = process.hrtime.bigint();
      const elapsed = Number(now - start);
      const due = Math.min(total, Math.floor(elapsed / intervalNs) + 1);
      while (sent < due) {
        // The least busy open connection, starting after the last one used so load spreads evenly.
        let lane;
        for (let i = 0; i < lanes.length; i++) {
          const candidate = lanes[(turn + i) % lanes.length];
          if (candidate.closed) continue;
          if (!lane || candidate.waiting.length < lane.waiting.length) lane = candidate;
          if (lane.waiting.length === 0) break;
        }
        turn++;
        if (!lane) {
          sent = total; // every connection is gone: the rest counts as unanswered
          break;
        }
        const request = next();
        lane.waiting.push({ due: now, context: request.context });
        lane.socket.write(serialize(request));
        sent++;
      }
      // Timers fire about every millisecond: a few requests per tick, and no core spent spinning.
      // Latency counts from the tick that writes a request, so the generator's own lateness (a timer
      // firing late on a busy machine) is not charged to the server; soak.mjs reports that lateness.
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  // Let the last answers arrive (a few seconds at most), then hang up.
  const deadline = Date.now() + 10_000;
  while (answered < sent && lanes.some((lane) => !lane.closed) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const { socket } of lanes) socket.destroy();

  const sorted = latencies.subarray(0, answered).sort();
  const at = (q) => (answered === 0 ? NaN : round(sorted[Math.min(answered - 1, Math.floor(q * answered))]));
  return {
    sent,
    answered,
    statuses,
    errors: sent - answered,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: answered === 0 ? NaN : round(sorted[answered - 1]),
    seconds,
  };
}

const round = (ms) => Math.round(ms * 100) / 100;

function open(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function serialize({ method = 'GET', path, headers = {}, body }) {
  let head = `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n`;
  for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `content-length: ${Buffer.byteLength(body)}\r\n`;
  return `${head}\r\n${body ?? ''}`;
}

/** One complete response at the start of `buffer`: its status and length, or undefined if not all in. */
function takeResponse(buffer) {
  const end = buffer.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const head = buffer.subarray(0, end).toString('latin1');
  const status = Number(head.slice(9, 12));
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    // Small bodies only (benchmark answers): the response ends at the zero-length last chunk.
    const last = buffer.indexOf('\r\n0\r\n\r\n', end);
    return last === -1 ? undefined : { status, length: last + 7 };
  }
  const match = /\r\ncontent-length: *(\d+)/i.exec(head);
  const length = end + 4 + (match ? Number(match[1]) : 0);
  return buffer.length >= length ? { status, length } : undefined;
}
