/**
 * The verdict of a scenario: answered (ids that got a success answer), stored (distinct ids found
 * downstream), lost (answered and not stored) and duplicates (stored records beyond the first of each
 * id). One line per scenario goes to stdout and, as JSON, to the run's results file; the assertion
 * is `lost === 0`, i.e. answered ⊆ stored.
 */
import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Answer, Kind, LoadResult } from './load.js';
import type { Stored } from './readers.js';
import { faultsRun } from './run.js';

export interface Phase {
  readonly name: string;
  /** Answers from this moment on (ms since the epoch) belong to this phase, until the next one. */
  readonly from: number;
}

interface ScenarioReport {
  readonly scenario: string;
  readonly answered: number;
  readonly stored: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly answeredByKind: Partial<Record<Kind, number>>;
  readonly lostByKind: Partial<Record<Kind, number>>;
  readonly lostByPhase?: Record<string, number>;
  /** Stored records flagged detectedDuplicate. */
  readonly flaggedDuplicate: number;
  readonly sent: number;
  readonly refused: number;
  readonly unanswered: number;
  readonly statuses: Record<string, number>;
  readonly lostSample: string[];
  readonly loadMs: number;
  readonly scenarioMs: number;
  readonly seed: number;
  readonly notes: Record<string, unknown>;
}

export interface Verdict extends ScenarioReport {
  /** Every lost id. */
  readonly lostIds: string[];
  /** Stored records per id. */
  readonly copies: Map<string, number>;
}

export function judge(
  scenario: string,
  answered: ReadonlyMap<string, Answer>,
  load: Pick<LoadResult, 'sent' | 'refused' | 'unanswered' | 'statuses' | 'durationMs'>,
  stored: Stored,
  o: { phases?: readonly Phase[]; startedAt: number; notes?: Record<string, unknown> },
): Verdict {
  const copies = new Map<string, number>();
  let flaggedDuplicate = 0;
  for (const record of stored.records) {
    copies.set(record.eventId, (copies.get(record.eventId) ?? 0) + 1);
    if (record.detectedDuplicate) flaggedDuplicate++;
  }
  const answeredByKind: Partial<Record<Kind, number>> = {};
  const lostByKind: Partial<Record<Kind, number>> = {};
  const phases = [...(o.phases ?? [])].sort((a, b) => a.from - b.from);
  const lostByPhase: Record<string, number> = Object.fromEntries(phases.map((p) => [p.name, 0]));
  const lostIds: string[] = [];
  for (const [id, answer] of answered) {
    answeredByKind[answer.kind] = (answeredByKind[answer.kind] ?? 0) + 1;
    if (copies.has(id)) continue;
    lostIds.push(id);
    lostByKind[answer.kind] = (lostByKind[answer.kind] ?? 0) + 1;
    const phase = phases.filter((p) => p.from <= answer.at).pop();
    if (phase) lostByPhase[phase.name] = (lostByPhase[phase.name] ?? 0) + 1;
  }
  const report: ScenarioReport = {
    scenario,
    answered: answered.size,
    stored: copies.size,
    lost: lostIds.length,
    duplicates: stored.records.length - copies.size,
    answeredByKind,
    lostByKind,
    ...(phases.length > 0 ? { lostByPhase } : {}),
    flaggedDuplicate,
    sent: load.sent,
    refused: load.refused.size,
    unanswered: load.unanswered,
    statuses: load.statuses,
    lostSample: lostIds.slice(0, 5),
    loadMs: load.durationMs,
    scenarioMs: Date.now() - o.startedAt,
    seed: faultsRun().seed,
    notes: { ...(stored.damaged.length > 0 ? { unreadable: stored.damaged } : {}), ...o.notes },
  };
  const line =
    `FAULTS ${scenario}: answered=${report.answered} stored=${report.stored} lost=${report.lost} ` +
    `duplicates=${report.duplicates}`;
  const detail = {
    answeredByKind,
    lostByKind,
    ...(phases.length > 0 ? { lostByPhase } : {}),
    flaggedDuplicate,
    sent: report.sent,
    refused: report.refused,
    unanswered: report.unanswered,
    statuses: report.statuses,
    notes: report.notes,
  };
  console.log(`${line}\n  ${JSON.stringify(detail)}\n  results: ${faultsRun().results}`);
  appendFileSync(faultsRun().results, `${JSON.stringify({ at: new Date().toISOString(), ...report })}\n`);
  return { ...report, lostIds, copies };
}

/** The promise: every answered event is stored (answered ⊆ stored). */
export function expectNoLoss(verdict: Verdict, allowed = 0): void {
  expect(
    verdict.lost,
    `${verdict.scenario}: ${verdict.lost} of ${verdict.answered} answered events were not stored ` +
      `(by kind ${JSON.stringify(verdict.lostByKind)}${verdict.lostByPhase ? `, by phase ${JSON.stringify(verdict.lostByPhase)}` : ''}; ` +
      `e.g. ${verdict.lostSample.join(', ')})`,
  ).toBeLessThanOrEqual(allowed);
}
