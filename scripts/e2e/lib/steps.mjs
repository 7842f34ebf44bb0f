// Step timing, cleanup on the way out, and the final summary of `npm run e2e:pipeline`.
import process from 'node:process';

const started = Date.now();
const records = [];
const cleanups = [];

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function log(line) {
  process.stdout.write(`[e2e ${seconds(Date.now() - started).padStart(7)}] ${line}\n`);
}

/** Runs one named step, prints its time, and records it for the summary; a failure ends the run. */
export async function step(name, fn) {
  const t0 = Date.now();
  log(`▶ ${name}`);
  try {
    const result = await fn();
    const ms = Date.now() - t0;
    records.push({ name, ms, ok: true });
    log(`✔ ${name} (${seconds(ms)})`);
    return result;
  } catch (error) {
    const ms = Date.now() - t0;
    records.push({ name, ms, ok: false });
    log(`✘ ${name} (${seconds(ms)})`);
    throw error;
  }
}

/** Registers a cleanup; they run in reverse order, each once, also on Ctrl-C. */
export function onCleanup(name, fn) {
  cleanups.push({ name, fn });
}

export async function cleanup() {
  while (cleanups.length > 0) {
    const { name, fn } = cleanups.pop();
    try {
      await fn();
    } catch (error) {
      log(`cleanup of ${name} failed: ${error.message}`);
    }
  }
}

export function summary({ ok, extra = [] }) {
  const width = Math.max(...records.map((r) => r.name.length), 10);
  const lines = ['', '=== e2e:pipeline summary ==='];
  for (const r of records)
    lines.push(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(width)}  ${seconds(r.ms).padStart(7)}`);
  lines.push(...extra);
  lines.push(`${ok ? 'PASSED' : 'FAILED'} in ${seconds(Date.now() - started)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Polls `fn` until it returns a value other than undefined, or throws the last reason at the deadline. */
export async function until(what, fn, { timeoutMs = 60_000, intervalMs = 1000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${what} did not happen within ${seconds(timeoutMs)}${last ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
