/**
 * `footfall tail`: the live inspector's stream in a terminal, one line per event (coloured on a TTY),
 * or the stream's JSON objects one a line for jq. It reads `GET /inspect/events` on the admin
 * listener, with the filters applied by the collector, and reconnects after a lost connection from
 * where it left off (SSE's Last-Event-ID).
 */
import { parseArgs } from 'node:util';
import { EXIT } from './common.js';

const TAIL_USAGE = `Usage: footfall tail [options]

Prints the events the collector receives, as its inspector sees them: one line per event with its
outcome, or with --json the full JSON object of each (request, parsed event, each mapping's record).
Needs inspector.enabled (or FOOTFALL_INSPECTOR=true) on the collector.

Options:
  --url URL          the admin listener (default http://127.0.0.1:8291)
  --token TOKEN      the inspector's token (default: $FOOTFALL_INSPECTOR_TOKEN)
  --source NAMES     only these sources (comma-separated, as every filter)
  --type TYPES       only these event types
  --party IDS        only these party ids
  --session IDS      only these session ids
  --outcome KINDS    only these outcomes: accepted, invalid, discarded, dropped, failed, or kind:reason
  --json             one JSON object a line (for jq)
  -h, --help         show this help
`;

const FILTERS = ['source', 'type', 'party', 'session', 'outcome'] as const;

interface Message {
  readonly time: string;
  readonly source: string;
  readonly outcome: { readonly kind: string; readonly reason?: string; readonly detail?: string };
  readonly count: number;
  readonly eventType: string | null;
  readonly partyId: string | null;
  readonly sessionId: string | null;
  readonly flags: { readonly corrupt: boolean; readonly duplicate: boolean };
  readonly request: { readonly method: string; readonly path: string } | null;
}

const COLOURS: Record<string, string> = {
  accepted: '\x1b[32m',
  discarded: '\x1b[33m',
  invalid: '\x1b[31m',
  dropped: '\x1b[31m',
  failed: '\x1b[31m',
};

// Event data is attacker-controlled: control characters (ANSI escapes included) never reach the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const safe = (text: string): string => text.replace(CONTROL, '?');
// JSON.stringify escapes C0 controls but not DEL and C1 (U+009B is a terminal's CSI).
const C1 = /[\u007f-\u009f]/g;
const jsonLine = (data: string): string =>
  data.replace(C1, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** One line for a person: time, source, outcome, type, ids, request, flags, why. */
export function formatLine(message: Message, colour: boolean): string {
  const { outcome } = message;
  const kind = outcome.reason ? `${outcome.kind}:${outcome.reason}` : outcome.kind;
  const flags = [
    message.flags.corrupt ? 'corrupt' : '',
    message.flags.duplicate ? 'duplicate' : '',
    message.count > 1 ? `${message.count} events` : '',
  ].filter((flag) => flag !== '');
  const parts = [
    message.time.slice(11, 23),
    message.source,
    colour ? `${COLOURS[outcome.kind] ?? ''}${kind}\x1b[0m` : kind,
    message.eventType ?? '-',
    message.partyId ?? '-',
    message.sessionId ?? '-',
    message.request ? `${message.request.method} ${message.request.path}` : '-',
  ];
  if (flags.length > 0) parts.push(`[${flags.join(', ')}]`);
  if (outcome.detail) parts.push(`(${outcome.detail})`);
  // Only the colour codes added above survive: everything from the event is made safe first.
  return parts.map((part, i) => (i === 2 && colour ? part : safe(part))).join('  ');
}

/** Runs the command until interrupted; returns the exit code (1: refused or unreachable, 2: usage). */
export async function tailCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:8291' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(FILTERS.map((name) => [name, { type: 'string' as const }])),
      },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${TAIL_USAGE}`);
    return EXIT.config;
  }
  if (values.help) {
    process.stdout.write(TAIL_USAGE);
    return EXIT.ok;
  }
  let url: URL;
  try {
    url = new URL('/inspect/events', values.url);
  } catch {
    process.stderr.write(`--url: not a URL: ${values.url}\n`);
    return EXIT.config;
  }
  for (const name of FILTERS) {
    const value = (values as Record<string, unknown>)[name];
    if (typeof value === 'string') url.searchParams.set(name, value);
  }
  const token = values.token ?? process.env.FOOTFALL_INSPECTOR_TOKEN;
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const print = (data: string): void => {
    if (values.json) {
      process.stdout.write(`${jsonLine(data)}\n`);
    } else {
      process.stdout.write(`${formatLine(JSON.parse(data) as Message, colour)}\n`);
    }
  };

  const controller = new AbortController();
  let interrupted = false;
  const interrupt = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let lastId: string | undefined;
  let reported = 0;
  for (;;) {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastId !== undefined) headers['last-event-id'] = lastId;
    try {
      const response = await fetch(url, { headers, signal: controller.signal });
      if (response.status === 401 || response.status === 404) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        process.stderr.write(`footfall tail: ${response.status}: ${body.message ?? 'refused'}\n`);
        return EXIT.failure;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      let buffer = '';
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (frame.id !== undefined) lastId = frame.id;
          if (frame.event === 'stats') {
            const dropped = (JSON.parse(frame.data) as { droppedForYou?: number }).droppedForYou ?? 0;
            if (dropped > reported)
              process.stderr.write(`footfall tail: ${dropped - reported} events not shown (too slow)\n`);
            reported = dropped;
          } else if (frame.data !== '') {
            print(frame.data);
          }
        }
      }
    } catch (err) {
      if (interrupted) return EXIT.ok;
      process.stderr.write(`footfall tail: ${(err as Error).message}; reconnecting in 2 s\n`);
    }
    if (interrupted) return EXIT.ok;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    if (interrupted) return EXIT.ok;
  }
}

function parseFrame(text: string): { id?: string; event?: string; data: string } {
  const frame: { id?: string; event?: string; data: string } = { data: '' };
  const data: string[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue; // a comment
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'id') frame.id = value;
    else if (field === 'event') frame.event = value;
  }
  frame.data = data.join('\n');
  return frame;
}
