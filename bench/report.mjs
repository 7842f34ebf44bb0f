// The runner's tables. With several rounds each figure shows the median-ratio round's value and, in
// parentheses, the lowest and highest of all rounds: the run-to-run spread on this machine.

const round = (n, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** `value` alone, or `value (min–max)` when there were several rounds. */
function withSpread(value, spread, digits) {
  if (value === undefined || value === null) return '—';
  if (!spread) return `${round(value, digits)}`;
  return `${round(value, digits)} (${round(spread[0], digits)}–${round(spread[1], digits)})`;
}

/** [min, max] of the defined values, or undefined for fewer than two. */
export function spreadOf(values) {
  const defined = values.filter((v) => v !== undefined && Number.isFinite(v));
  return defined.length > 1 ? [Math.min(...defined), Math.max(...defined)] : undefined;
}

export function saturatedTable(rows, { rounds }) {
  const note = rounds > 1 ? ` Median-ratio round of ${rounds} (lowest–highest of all rounds).` : '';
  return [
    `As fast as each server answers.${note}`,
    '',
    '| scenario | workload | events/s | CPU µs/event | floor µs/event | ratio | broker µs/event | p50 ms | p99 ms | RSS MB | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.workload ?? '—'} | ${r.eventsPerSec} | ${withSpread(r.cpuUsPerEvent, r.spread?.cpuUsPerEvent, 1)} | ${withSpread(r.floorCpuUsPerEvent, r.spread?.floorCpuUsPerEvent, 1)} | ${withSpread(r.ratio, r.spread?.ratio, 2)} | ${withSpread(r.brokerCpuUsPerEvent, r.spread?.brokerCpuUsPerEvent, 1)} | ${r.p50Ms} | ${r.p99Ms} | ${r.rssMb} | ${r.errors} |`,
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
    '| scenario | workload | events/s | CPU µs/event | floor µs/event | ratio | broker µs/event | p50 ms | p90 ms | p99 ms | max ms | errors |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...paced.map(({ scenario, workload, steady: s }) => {
      return `| ${scenario} | ${workload ?? '—'} | ${s.rate} | ${withSpread(s.cpuUsPerEvent, s.spread?.cpuUsPerEvent, 1)} | ${withSpread(s.floorCpuUsPerEvent, s.spread?.floorCpuUsPerEvent, 1)} | ${withSpread(s.ratio, s.spread?.ratio, 2)} | ${withSpread(s.brokerCpuUsPerEvent, s.spread?.brokerCpuUsPerEvent, 1)} | ${s.p50Ms} | ${s.p90Ms} | ${s.p99Ms} | ${s.maxMs} | ${s.errors} |`;
    }),
  ].join('\n');
}
