import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/config/index.js';
import { DuplicateMemory, Ingest, OutcomeCounter } from '../../../src/pipeline/index.js';
import { createClientAddressPolicy } from '../../../src/server/client-address.js';
import { createSource, SOURCES } from '../../../src/server/sources/index.js';
import { configFrom } from '../../support/collector.js';
import { pixelQuery } from '../../support/pixel.js';

function sourcesOf(yaml: string): Readonly<Record<string, SourceConfig>> {
  return configFrom(yaml).config.sources;
}

function build(config: SourceConfig) {
  const outcomes = new OutcomeCounter();
  const errors: unknown[] = [];
  const counted: [string, number][] = [];
  const source = createSource({
    name: 'web',
    config,
    routes: [],
    ingest: new Ingest({ duplicates: new DuplicateMemory(100), outcomes }, (err) => errors.push(err)),
    addresses: createClientAddressPolicy([]),
    now: Date.now,
    logger: pino({ level: 'silent' }),
    metrics: {
      registry: undefined as never,
      countRequest: (route, status) => counted.push([route, status]),
    },
  });
  return { source, outcomes, errors, counted };
}

/** Just enough of Node's request and response for a fast path. */
function exchange(method: string, url: string) {
  const sent: number[] = [];
  const request = {
    method,
    url,
    headers: { 'user-agent': 'Mozilla/5.0 registry test' },
    socket: { remoteAddress: '192.0.2.7' },
  } as unknown as IncomingMessage;
  const response = {
    // Node's default until writeHead: the pixel is counted as answered 200 before its batch commits.
    statusCode: 200,
    writeHead: (status: number) => {
      response.statusCode = status;
      sent.push(status);
    },
    end: () => undefined,
  };
  return { request, response: response as unknown as ServerResponse, sent };
}

describe('the source registry', () => {
  it('has one entry per source type, each filed under its own type', () => {
    for (const [type, entry] of Object.entries(SOURCES)) expect(entry.type).toBe(type);
  });

  it('builds a JSON source without a fast path', () => {
    const { source } = build(sourcesOf('sources:\n  app: { type: json }\n').app!);
    expect(source.fastPath).toBeUndefined();
    expect(source.close).toBeUndefined();
  });

  it('gives the browser source a fast path for exactly GET {prefix}{eventSuffix}', () => {
    const config = sourcesOf('sources:\n  web: { type: browser, prefix: /c/, eventSuffix: hit }\n').web!;
    const { source, outcomes, errors, counted } = build(config);
    const misses = [
      ['POST', `/c/hit?${pixelQuery()}`],
      ['HEAD', '/c/hit'],
      ['GET', '/c/hits'],
      ['GET', '/c/hit/'],
      ['GET', '/c/hit#x'],
      ['GET', '/hit'],
      ['GET', '/c/'],
    ];
    for (const [method, url] of misses) {
      const { request, response, sent } = exchange(method!, url!);
      expect(source.fastPath!(request, response), `${method} ${url}`).toBe(false);
      expect(sent).toEqual([]);
    }
    const answers: number[][] = [];
    for (const url of [`/c/hit?${pixelQuery()}`, '/c/hit']) {
      const { request, response, sent } = exchange('GET', url);
      expect(source.fastPath!(request, response)).toBe(true);
      answers.push(sent);
    }
    // Taken, not yet answered: the answers wait for the batch's commit.
    expect(counted).toEqual([
      ['/c/hit', 200],
      ['/c/hit', 200],
    ]);
    expect(answers).toEqual([[], []]);
    expect(outcomes.total()).toBe(0);
    // close() takes the waiting batch through the seam and answers it.
    source.close!();
    expect(answers).toEqual([[200], [200]]);
    expect(outcomes.snapshot()).toEqual({ 'failed:no_mapping': 1, 'invalid:bad_identifier': 1 });
    expect(errors).toEqual([]);
  });
});
