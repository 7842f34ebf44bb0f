#!/usr/bin/env node
// `npm audit` of the production dependencies, failing on high or critical advisories.
//
// Some registries (mirrors, offline caches) do not serve npm's advisory endpoint. Then there is
// nothing to judge: the script says so plainly and exits 0, unless --strict is given (exit 3), so CI
// on such a machine still runs and a machine with a full registry still fails on a real finding.
//
//   node scripts/audit.mjs [--strict]
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/**
 * The verdict on `npm audit --json` output (format 2, npm 7 and later): exit code 0 (clean), 1 (a high
 * or critical advisory, or output that is not a report) or 3 (no report: the endpoint did not answer,
 * only with `strict`), and the lines to print.
 */
export function judgeAudit(stdout, { strict = false } = {}) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    return { code: 1, lines: ['audit: npm audit gave no JSON report'] };
  }
  const counts = report?.metadata?.vulnerabilities;
  if (counts) {
    const summary = Object.entries(counts)
      .map(([level, count]) => `${level} ${count}`)
      .join(', ');
    const lines = [`audit: production dependencies: ${summary}`];
    for (const [name, finding] of Object.entries(report.vulnerabilities ?? {})) {
      if (finding.severity === 'high' || finding.severity === 'critical') {
        lines.push(`  ${finding.severity}: ${name} ${finding.range ?? ''}`.trimEnd());
      }
    }
    return { code: (counts.high ?? 0) + (counts.critical ?? 0) > 0 ? 1 : 0, lines };
  }
  // No report: the advisory endpoint did not answer. Name the status, never the registry's address.
  const status = report?.statusCode ?? report?.error?.code ?? 'unknown';
  return {
    code: strict ? 3 : 0,
    lines: [
      `audit: the configured registry does not serve npm's advisory endpoint (answer: ${status}); ` +
        'nothing was checked. Run `npm run audit` where the public registry is reachable.',
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
  const { code, lines } = judgeAudit(run.stdout, { strict: process.argv.includes('--strict') });
  for (const line of lines) (code === 0 ? console.log : console.error)(line);
  process.exit(code);
}
