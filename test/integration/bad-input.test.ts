import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_REQUESTS, type BadRequest } from '../fixtures/bad-requests.js';
import { readPublished, tempDir } from '../support/collector.js';
import { startCli } from '../support/cli.js';
import { sendRaw } from '../support/raw-http.js';

/** Events a source took from a request, given the status it answered. */
function eventsOf(request: BadRequest, status: number): number {
  return typeof request.events === 'number' ? request.events : (request.events[status] ?? 0);
}

/** Words of the corpus's hostile requests that no answer may repeat. */
const ECHOES = /script|evil|passwd|polluted|quotes/i;

/** What is wrong with an answer's body (every error has the documented shape), or undefined. */
function bodyProblem(request: BadRequest, status: number, body: string): string | undefined {
  if (status < 400) return undefined;
  if (body === '') return request.bytes.subarray(0, 5).toString('latin1') === 'HEAD ' ? undefined : 'no body';
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 80)}`;
  }
  const { error, message, ...rest } = parsed as Record<string, unknown>;
  if (typeof error !== 'string' || !/^FOOTFALL_ERR_[A-Z_]+$/.test(error)) return `error ${String(error)}`;
  if (typeof message !== 'string' || Object.keys(rest).length > 0) return `shape ${body.slice(0, 80)}`;
  if (ECHOES.test(message)) return `echoes the request: ${message}`;
  return undefined;
}

/** The outcome counts the collector logs when it stops (`{"outcomes":{…},"msg":"stopped"}`). */
function stoppedOutcomes(output: string): Record<string, number> {
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"stopped"')) continue;
    return (JSON.parse(line) as { outcomes: Record<string, number> }).outcomes;
  }
  throw new Error(`no "stopped" line in the collector's output:\n${output}`);
}

describe('the bad-input corpus against the running collector', () => {
  it(
    'gets its documented status for every request, stays up, records only real events and counts every event once',
    { timeout: 180_000 },
    async () => {
      expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(200);
      const dir = tempDir();
      const cli = await startCli(['serve'], { FOOTFALL_LOG_LEVEL: 'info' }, dir);
      const port = Number(new URL(cli.address).port);
      const wrong: string[] = [];
      const byClass = new Map<string, Map<number, number>>();
      let eventsIn = 0;
      for (const request of BAD_REQUESTS) {
        const { status, head, body } = await sendRaw(port, request.bytes);
        eventsIn += eventsOf(request, status);
        const counts = byClass.get(request.class) ?? new Map<number, number>();
        counts.set(status, (counts.get(status) ?? 0) + 1);
        byClass.set(request.class, counts);
        if (!request.status.includes(status)) {
          wrong.push(
            `${request.class} / ${request.name}: got ${status}, expected ${request.status.join(' or ')}`,
          );
        }
        const problem = bodyProblem(request, status, body);
        if (problem !== undefined)
          wrong.push(`${request.class} / ${request.name}: ${status} body ${problem}`);
        if (request.header && request.status.includes(status) && !request.header.test(head)) {
          wrong.push(`${request.class} / ${request.name}: no ${String(request.header)} in ${head}`);
        }
        if (cli.child.exitCode !== null)
          throw new Error(`the collector died on ${request.class} / ${request.name}`);
      }
      expect(wrong).toEqual([]);
      expect(await (await fetch(`${cli.address}/ping`)).text()).toBe('pong');

      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      const records = await readPublished(path.join(dir, 'data', 'published'));
      const expected = BAD_REQUESTS.flatMap((r) => (r.record === null ? [] : r.record));
      expect(records.map((r) => r.eventId).sort()).toEqual([...expected].sort());
      for (const record of records) expect(record.remoteHost).toBe('127.0.0.1');
      // Nothing vanishes without a trace: every event a source took ended in exactly one outcome.
      const outcomes = stoppedOutcomes(cli.output());
      const outcomesTotal = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
      expect({ eventsIn, outcomesTotal, outcomes }).toMatchObject({ outcomesTotal: eventsIn });
      expect(outcomes.accepted).toBe(records.length);
      // The summary the closing note quotes: requests by class and status.
      console.log(
        [...byClass]
          .map(([cls, counts]) => `${cls}: ${[...counts].map(([s, n]) => `${s}×${n}`).join(' ')}`)
          .join('\n'),
      );
      console.log(`${BAD_REQUESTS.length} requests, ${eventsIn} events, ${records.length} records`);
      console.log(JSON.stringify(outcomes));
    },
  );
});
