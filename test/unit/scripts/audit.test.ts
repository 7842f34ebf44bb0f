import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ESM script without type declarations
import { judgeAudit } from '../../../scripts/audit.mjs';

type Verdict = { code: number; lines: string[] };
const judge = judgeAudit as (stdout: string, options?: { strict?: boolean }) => Verdict;

/** `npm audit --json` (format 2) with these counts and findings. */
function report(
  counts: Record<string, number>,
  findings: Record<string, { severity: string; range: string }> = {},
) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: findings,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, ...counts, total } },
  });
}

describe('the production audit verdict', () => {
  it('passes a clean report and one with only low or moderate findings', () => {
    expect(judge(report({})).code).toBe(0);
    const moderate = judge(report({ moderate: 2 }, { x: { severity: 'moderate', range: '<1.2.0' } }));
    expect(moderate.code).toBe(0);
    expect(moderate.lines[0]).toContain('moderate 2');
  });

  it('fails on a high or critical finding and names the package', () => {
    const high = judge(report({ high: 1 }, { 'some-lib': { severity: 'high', range: '<2.0.1' } }));
    expect(high.code).toBe(1);
    expect(high.lines).toContain('  high: some-lib <2.0.1');
    expect(judge(report({ critical: 1 }, { other: { severity: 'critical', range: '*' } })).code).toBe(1);
  });

  it('says plainly when the registry has no advisory endpoint, without its address', () => {
    const answer = JSON.stringify({
      statusCode: 405,
      uri: 'https://mirror.invalid/-/npm/v1/security/advisories/bulk',
    });
    const lenient = judge(answer);
    expect(lenient.code).toBe(0);
    expect(lenient.lines.join('\n')).toMatch(/does not serve .* advisory endpoint \(answer: 405\)/);
    expect(lenient.lines.join('\n')).not.toContain('mirror.invalid');
    expect(judge(answer, { strict: true }).code).toBe(3);
  });

  it('fails on output that is not a report', () => {
    expect(judge('npm ERR! something').code).toBe(1);
  });
});
