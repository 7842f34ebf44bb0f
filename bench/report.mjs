// The runner's summary of its rounds, and its tables. With several rounds each figure shows the median-ratio round's value and, in
// parentheses, the lowest and highest of all rounds: the run-to-run spread on this machine.

const round = (n, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);
const median = (list, key) => [...list].sort((a, b) => key(a) - key(b))[Math.floor((list.length - 1) / 2)];

/** `value` alone, or `value (min–max)` when there were several rounds. */
function withSpread(value, spread, digits) {
  if (value === undefined || value === null) return '—';
  if (!spread) return `${round(value, digits)}`;
  return `${round(value, digits)} (${round(spread[0], digits)}–${round(spread[1], digits)})`;
}

/** [min, max] of the defined values, or undefined for fewer than two. */
function spreadOf(values) {
  const defined = values.filter((v) => v !== undefined && Number.isFinite(v));
  return defined.length > 1 ? [Math.min(...defined), Math.max(...defined)] : undefined;
}

/**
 * The rounds of one scenario and workload (`{ run, floor, ratio, steadyRatio, broker, steadyBroker }`
 * each, as the runner measures them): the median-ratio round's figures, every round's spread.
 */
export function summarise(scenario, workloadName, measured, { rounds, load }) {
  const { run, floor, broker } = median(measured, (m) => m.ratio);
  const spread = (pick) => spreadOf(measured.map(pick));
  // The paced figures likewise from the round with the median paced ratio.
  const pacedRounds = measured.filter((m) => m.steadyRatio !== undefined);
  const pacedPick = pacedRounds.length > 0 ? median(pacedRounds, (m) => m.steadyRatio) : undefined;
  const steady = pacedPick?.run.steady;
  return {
    scenario,
    workload: workloadName,
    events: run.events,
    eventsPerSec: run.eventsPerSec,
    cpuUsPerEvent: round(run.cpuUsPerEvent),
    floorCpuUsPerEvent: round(floor.cpuUsPerEvent),
    ratio: round(run.cpuUsPerEvent / floor.cpuUsPerEvent, 2),
    ratios: measured.map((m) => round(m.ratio, 2)),
    // The broker's CPU per event, all of it and net of its idle housekeeping (brokerPerEvent).
    brokerCpuUsPerEvent: round(broker.raw, 2),
    brokerNetCpuUsPerEvent: round(broker.net, 2),
    brokerIdleCpuMsPerSecond: round(broker.idleMsPerSecond, 1),
    // Lowest and highest over the rounds (absent with one round).
    spread: rounds > 1 && {
      cpuUsPerEvent: spread((m) => m.run.cpuUsPerEvent),
      floorCpuUsPerEvent: spread((m) => m.floor.cpuUsPerEvent),
      ratio: spread((m) => m.ratio),
      brokerCpuUsPerEvent: spread((m) => m.broker.raw),
      brokerNetCpuUsPerEvent: spread((m) => m.broker.net),
      eventsPerSec: spread((m) => m.run.eventsPerSec),
    },
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    rssMb: run.rssMb,
    errors: run.errors,
    floorEventsPerSec: floor.eventsPerSec,
    // The paced phase at `load` of the collector's maximum: latency as steady traffic sees it, and
    // CPU per event with floor and collector serving the very same rate.
    steady: steady && {
      load,
      rate: steady.rate,
      p50Ms: steady.p50Ms,
      p90Ms: steady.p90Ms,
      p99Ms: steady.p99Ms,
      maxMs: steady.maxMs,
      // The floor's latency at the same rate, measured by the same generator: a tail the floor shows
      // too is the machine's or the load generator's (sharing its core with the broker), not the
      // collector's.
      floorP99Ms: pacedPick.floor.steady.p99Ms,
      floorMaxMs: pacedPick.floor.steady.maxMs,
      // The collector's own event-loop delay in the paced phase (1 ms resolution included).
      loopDelayP99Ms: round(steady.loopDelayP99Ms, 2),
      loopDelayMaxMs: round(steady.loopDelayMaxMs, 2),
      cpuUsPerEvent: round(steady.cpuUsPerEvent),
      floorCpuUsPerEvent: round(pacedPick.floor.steady.cpuUsPerEvent),
      ratio: round(pacedPick.steadyRatio, 2),
      ratios: pacedRounds.map((m) => round(m.steadyRatio, 2)),
      brokerCpuUsPerEvent: round(pacedPick.steadyBroker.raw, 2),
      brokerNetCpuUsPerEvent: round(pacedPick.steadyBroker.net, 2),
      spread: rounds > 1 && {
        cpuUsPerEvent: spreadOf(pacedRounds.map((m) => m.run.steady.cpuUsPerEvent)),
        floorCpuUsPerEvent: spreadOf(pacedRounds.map((m) => m.floor.steady.cpuUsPerEvent)),
        ratio: spreadOf(pacedRounds.map((m) => m.steadyRatio)),
        brokerCpuUsPerEvent: spreadOf(pacedRounds.map((m) => m.steadyBroker.raw)),
        brokerNetCpuUsPerEvent: spreadOf(pacedRounds.map((m) => m.steadyBroker.net)),
        p99Ms: spreadOf(pacedRounds.map((m) => m.run.steady.p99Ms)),
      },
      errors: steady.errors,
    },
    outcomes: run.stats.outcomes,
  };
}

export function saturatedTable(rows, { rounds }) {
  const note = rounds > 1 ? ` Median-ratio round of ${rounds} (lowest–highest of all rounds).` : '';
  return [
    `As fast as each server answers.${note}`,
    '',
    '| scenario | workload | events/s | CPU µs/event | floor µs/event | ratio | broker µs/event | broker net µs/event | p50 ms | p99 ms | RSS MB | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.workload ?? '—'} | ${r.eventsPerSec} | ${withSpread(r.cpuUsPerEvent, r.spread?.cpuUsPerEvent, 1)} | ${withSpread(r.floorCpuUsPerEvent, r.spread?.floorCpuUsPerEvent, 1)} | ${withSpread(r.ratio, r.spread?.ratio, 2)} | ${withSpread(r.brokerCpuUsPerEvent, r.spread?.brokerCpuUsPerEvent, 1)} | ${withSpread(r.brokerNetCpuUsPerEvent, r.spread?.brokerNetCpuUsPerEvent, 1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.rssMb} | ${r.errors} |`,
    ),
  ].join('\n');
}

export function pacedTable(rows, { load, rounds }) {
  const paced = rows.filter((r) => r.steady);
  if (paced.length === 0) return undefined;
  const note = rounds > 1 ? ` Median-ratio round of ${rounds} (lowest–highest of all rounds).` : '';
  return [
    `Paced at ${load * 100}% of each scenario's maximum, the floor at the same rate.${note}`,
    '',
    '| scenario | workload | events/s | CPU µs/event | floor µs/event | ratio | broker µs/event | broker net µs/event | p50 ms | p90 ms | p99 ms | max ms | floor p99 / max ms | loop delay p99 / max ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...paced.map(({ scenario, workload, steady: s }) => {
      return `| ${scenario} | ${workload ?? '—'} | ${s.rate} | ${withSpread(s.cpuUsPerEvent, s.spread?.cpuUsPerEvent, 1)} | ${withSpread(s.floorCpuUsPerEvent, s.spread?.floorCpuUsPerEvent, 1)} | ${withSpread(s.ratio, s.spread?.ratio, 2)} | ${withSpread(s.brokerCpuUsPerEvent, s.spread?.brokerCpuUsPerEvent, 1)} | ${withSpread(s.brokerNetCpuUsPerEvent, s.spread?.brokerNetCpuUsPerEvent, 1)} | ${s.p50Ms} | ${s.p90Ms} | ${withSpread(s.p99Ms, s.spread?.p99Ms, 2)} | ${s.maxMs} | ${s.floorP99Ms} / ${s.floorMaxMs} | ${s.loopDelayP99Ms} / ${s.loopDelayMaxMs} | ${s.errors} |`;
    }),
  ].join('\n');
}
