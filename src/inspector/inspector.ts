/**
 * The live inspector's hub: the ingest seam's observer, a ring of recent messages, and the pages and
 * terminals watching over Server-Sent Events. The seam hands it sightings only while someone watches
 * (`watching`); it samples them (sampler.ts), turns them into JSON after the event's turn, and writes
 * each to every matching client without ever waiting for one: a client whose socket is full gets a
 * bounded queue, and what does not fit is dropped and counted, so a slow page cannot slow the
 * collector or grow its memory.
 */
import type { ServerResponse } from 'node:http';
import type { EventObserver, Sighting } from '../pipeline/index.js';
import { matches, type EventFilter } from './filter.js';
import { buildMessage, type InspectorMessage, type RecordReader } from './message.js';
import { Ring } from './ring.js';
import { RateSampler } from './sampler.js';

export interface InspectorOptions {
  /** Messages kept for a page that connects late. */
  readonly bufferSize: number;
  /** Most events a second followed in full, and most refusals a second shown besides. */
  readonly maxEventsPerSecond: number;
  /** Each mapping's codec, by mapping name, to show its records as JSON. */
  readonly readers: ReadonlyMap<string, RecordReader>;
  /** Frames queued for one client whose socket is full; more are dropped and counted. */
  readonly clientQueue?: number;
  /** How often each client is sent the counters (and proxies see the connection alive). */
  readonly statsInterval?: number;
}

export interface InspectorStats {
  readonly watchers: number;
  /** Messages built and sent to the matching clients (and the ring). */
  readonly shown: number;
  /** Events not shown because more arrived than maxEventsPerSecond. */
  readonly sampledOut: number;
  /** Messages a slow client's full queue could not take. */
  readonly droppedForSlowClients: number;
}

interface Entry {
  readonly message: InspectorMessage;
  readonly frame: string;
}

// 256 frames of 1–3 KB: under a megabyte per client however slow it reads.
const DEFAULT_CLIENT_QUEUE = 256;

class Client {
  private readonly queue: string[] = [];
  private blocked = false;
  dropped = 0;

  constructor(
    readonly response: ServerResponse,
    readonly filter: EventFilter,
    private readonly limit: number,
  ) {}

  /** Writes a frame, or queues it while the socket is full; false: dropped. Never waits. */
  send(frame: string): boolean {
    if (this.blocked) {
      if (this.queue.length >= this.limit) {
        this.dropped++;
        return false;
      }
      this.queue.push(frame);
      return true;
    }
    if (!this.response.write(frame)) this.block();
    return true;
  }

  private block(): void {
    this.blocked = true;
    this.response.once('drain', this.drain);
  }

  private readonly drain = (): void => {
    this.blocked = false;
    while (this.queue.length > 0) {
      if (!this.response.write(this.queue.shift() as string)) {
        this.block();
        return;
      }
    }
  };
}

export class Inspector implements EventObserver {
  /** Read by the ingest seam for every event: true while at least one client is attached. */
  watching = false;
  private readonly clients = new Set<Client>();
  private readonly ring: Ring<Entry>;
  private readonly eventSampler: RateSampler;
  private readonly refusalSampler: RateSampler;
  private pending: Sighting[] = [];
  private scheduled = false;
  private seq = 0;
  private shown = 0;
  private droppedForSlowClients = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: InspectorOptions) {
    this.ring = new Ring(options.bufferSize);
    // Refusals are most of what an integrator looks for: a flood of accepted events must not crowd
    // them out, so they have a budget of their own.
    this.eventSampler = new RateSampler(options.maxEventsPerSecond);
    this.refusalSampler = new RateSampler(options.maxEventsPerSecond);
  }

  admit(kind: 'event' | 'refusal'): boolean {
    return (kind === 'event' ? this.eventSampler : this.refusalSampler).admit();
  }

  see(sighting: Sighting): void {
    this.pending.push(sighting);
    if (this.scheduled) return;
    this.scheduled = true;
    // After the turn: the events' answers are written first, and one pass serves the whole batch.
    setImmediate(this.flush);
  }

  /**
   * Streams to `response` from now on: SSE headers, then the ring's matching messages, then each new
   * one. The client leaves when its connection closes. A client reconnecting says the last message it
   * had (SSE's Last-Event-ID): only newer ones are replayed.
   */
  attach(response: ServerResponse, filter: EventFilter, afterSeq = 0): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const client = new Client(response, filter, this.options.clientQueue ?? DEFAULT_CLIENT_QUEUE);
    client.send('retry: 2000\n\n');
    for (const entry of this.ring.toArray()) {
      if (entry.message.seq > afterSeq && matches(filter, entry.message)) client.send(entry.frame);
    }
    this.clients.add(client);
    this.watching = true;
    this.sendStats(client);
    this.timer ??= setInterval(() => {
      for (const each of this.clients) this.sendStats(each);
    }, this.options.statsInterval ?? 5000).unref();
    response.on('close', () => this.detach(client));
  }

  stats(): InspectorStats {
    return {
      watchers: this.clients.size,
      shown: this.shown,
      sampledOut: this.eventSampler.skipped + this.refusalSampler.skipped,
      droppedForSlowClients: this.droppedForSlowClients,
    };
  }

  /** Ends every stream (shutdown). */
  close(): void {
    for (const client of this.clients) client.response.end();
    this.clients.clear();
    this.stop();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const sighting of batch) {
      const seq = ++this.seq;
      const message = buildMessage(sighting, seq, this.options.readers);
      const entry = { message, frame: `id: ${seq}\ndata: ${JSON.stringify(message)}\n\n` };
      this.ring.push(entry);
      this.shown++;
      for (const client of this.clients) {
        if (matches(client.filter, message) && !client.send(entry.frame)) this.droppedForSlowClients++;
      }
    }
  };

  private sendStats(client: Client): void {
    const stats = { ...this.stats(), droppedForYou: client.dropped };
    client.send(`event: stats\ndata: ${JSON.stringify(stats)}\n\n`);
  }

  private detach(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stop();
  }

  private stop(): void {
    this.watching = false;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
