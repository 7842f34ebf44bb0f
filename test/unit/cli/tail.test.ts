import { describe, expect, it } from 'vitest';
import { formatLine } from '../../../src/cli/tail.js';

const message = {
  time: '2026-12-06T23:00:01.234Z',
  source: 'browser',
  outcome: { kind: 'invalid', reason: 'bad_identifier', detail: 'p (party id) is missing or malformed' },
  count: 1,
  eventType: null,
  partyId: null,
  sessionId: null,
  flags: { corrupt: false, duplicate: false },
  request: { method: 'GET', path: '/csc-event' },
};

describe('footfall tail lines', () => {
  it('show time, source, outcome, type, ids, request and why', () => {
    expect(formatLine(message, false)).toBe(
      '23:00:01.234  browser  invalid:bad_identifier  -  -  -  GET /csc-event  (p (party id) is missing or malformed)',
    );
  });

  it('colour the outcome on a terminal and let nothing from the event drive it', () => {
    const hostile = {
      ...message,
      outcome: { kind: 'accepted' },
      eventType: 'x\u001b[2J\u009b31m\u0007',
      flags: { corrupt: true, duplicate: true },
    };
    const line = formatLine(hostile, true);
    expect(line).toContain('\u001b[32maccepted\u001b[0m');
    expect(line).toContain('x?[2J?31m?');
    // The only escape sequences are the two of the colour.
    expect(line.split('\u001b')).toHaveLength(3);
    expect(line).not.toContain('\u009b');
    expect(line).toContain('[corrupt, duplicate]');
  });
});
