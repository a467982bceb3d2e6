// The drift report in three forms: JSON (the record), markdown (for $GITHUB_STEP_SUMMARY) and JUnit
// (for CI test views). Findings arrive redacted; every text is redacted again on the way out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './suite-results.js';
import type { CalibrationNote, Finding, FindingKind } from './suite/findings.js';
import { redact, redactDeep } from './redact.js';
import { ledgerLine, type RunLedger } from './state.js';

export interface DriftReport {
  target: string;
  baseUrl: string;
  startedAt: string;
  finishedAt: string;
  /** Set when the run could not give a verdict (exit 2): why. */
  incomplete?: string;
  findings: Finding[];
  /** What the run observed of the spec's unsettled facts and assumptions: the input of `npm run calibrate`. */
  calibration: CalibrationNote[];
  /** `errored`: the check could not run (the target did not answer, the account refused, the suite broke). */
  checks: Array<{
    check: string;
    operation: string;
    state: CheckResult['state'] | 'errored';
    durationMs: number;
    reason?: string;
  }>;
  /** The sessions the import round trip used and created, and the imports it made (contract-tests/state.ts). */
  sessions?: RunLedger;
  /** Checks by state, findings by severity: separate counts (one check may report several findings). */
  summary: {
    checks: number;
    passed: number;
    failed: number;
    skipped: number;
    errored: number;
    breaking: number;
    nonBreaking: number;
    info: number;
    /** Findings by kind (only the kinds the run found). */
    kinds: Partial<Record<FindingKind, number>>;
  };
}

const byKind = (findings: Finding[]): DriftReport['summary']['kinds'] => {
  const kinds: DriftReport['summary']['kinds'] = {};
  for (const { kind } of findings) kinds[kind] = (kinds[kind] ?? 0) + 1;
  return kinds;
};

const count = (checks: DriftReport['checks'], state: DriftReport['checks'][number]['state']) =>
  checks.filter((c) => c.state === state).length;

export function buildReport(
  target: string,
  baseUrl: string,
  startedAt: Date,
  results: CheckResult[],
  incomplete?: string,
): DriftReport {
  const findings = results.flatMap((r) => r.findings);
  const checks = results.map(({ check, operation, state, durationMs, reason, unavailable, error }) => {
    const why = reason ?? unavailable ?? error;
    return {
      check,
      operation,
      state: unavailable || error ? ('errored' as const) : state,
      durationMs,
      ...(why ? { reason: why } : {}),
    };
  });
  return redactDeep({
    target,
    baseUrl,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ...(incomplete ? { incomplete } : {}),
    findings,
    calibration: results.flatMap((r) => r.calibration),
    checks,
    summary: {
      checks: checks.length,
      passed: count(checks, 'passed'),
      failed: count(checks, 'failed'),
      skipped: count(checks, 'skipped'),
      errored: count(checks, 'errored'),
      breaking: findings.filter((f) => f.severity === 'breaking').length,
      nonBreaking: findings.filter((f) => f.severity === 'non-breaking').length,
      info: findings.filter((f) => f.severity === 'info').length,
      kinds: byKind(findings),
    },
  });
}

const cell = (text: unknown) =>
  String(text ?? '')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

export function markdown(report: DriftReport): string {
  const { summary: s } = report;
  const verdict = report.incomplete
    ? '⚠️ could not complete'
    : s.breaking > 0
      ? `❌ ${s.breaking} breaking drift finding${s.breaking > 1 ? 's' : ''}`
      : '✅ no breaking drift';
  const lines = [
    `## Didit share API drift check: ${verdict}`,
    '',
    `Target **${report.target}** (${report.baseUrl}), ${report.startedAt} → ${report.finishedAt}`,
    '',
    ...(report.incomplete ? [`**The check could not complete** (not drift): ${cell(report.incomplete)}`, ''] : []),
    '| checks | passed | failed | skipped | errored |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.checks} | ${s.passed} | ${s.failed} | ${s.skipped} | ${s.errored} |`,
    '',
    '| findings | breaking | non-breaking | info |',
    '| ---: | ---: | ---: | ---: |',
    `| ${s.breaking + s.nonBreaking + s.info} | ${s.breaking} | ${s.nonBreaking} | ${s.info} |`,
    '',
    ...(report.sessions ? [`Sessions: ${cell(ledgerLine(report.sessions))}`, ''] : []),
    ...(report.findings.length > 0
      ? [
          `Findings by kind: ${Object.entries(s.kinds)
            .map(([kind, n]) => `${kind} ${n}`)
            .join(', ')}`,
          '',
        ]
      : []),
  ];
  if (report.findings.length > 0) {
    lines.push(
      '### Findings',
      '',
      '| severity | kind | check | pointer | message |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const f of report.findings)
      lines.push(`| ${f.severity} | ${f.kind} | \`${f.check}\` | ${cell(f.pointer)} | ${cell(f.message)} |`);
    lines.push('');
  }
  const skipped = report.checks.filter((c) => c.state === 'skipped');
  if (skipped.length > 0) {
    lines.push('<details><summary>Skipped checks</summary>', '', '| check | why |', '| --- | --- |');
    for (const c of skipped) lines.push(`| \`${c.check}\` | ${cell(c.reason)} |`);
    lines.push('', '</details>', '');
  }
  return redact(lines.join('\n'));
}

const xml = (text: unknown) => String(text ?? '').replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function junit(report: DriftReport): string {
  const { summary: s } = report;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = report.checks.reduce((sum, c) => sum + c.durationMs, 0);
  const cases = report.checks.map((c) => {
    const breaking = report.findings.filter((f) => f.check === c.check && f.severity === 'breaking');
    const inner =
      c.state === 'skipped'
        ? `<skipped message="${xml(c.reason)}"/>`
        : c.state === 'failed'
          ? `<failure message="${xml(breaking[0]?.message ?? c.reason ?? 'check failed')}">${xml(breaking.map((f) => f.message).join('\n'))}</failure>`
          : c.state === 'errored'
            ? `<error message="${xml(c.reason ?? 'could not run')}"/>`
            : '';
    return `    <testcase classname="${xml(c.operation)}" name="${xml(c.check)}" time="${seconds(c.durationMs)}">${inner}</testcase>`;
  });
  const counts = `tests="${s.checks}" failures="${s.failed}" errors="${s.errored}" skipped="${s.skipped}" time="${seconds(total)}"`;
  return redact(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="didit-share drift (${xml(report.target)})" ${counts}>\n` +
      `  <testsuite name="drift" ${counts} timestamp="${report.startedAt}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`,
  );
}

/** Writes drift-report.json, drift-report.md and junit.xml into `dir`; returns their paths. */
export function writeReport(dir: string, report: DriftReport): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    'drift-report.json': `${JSON.stringify(report, null, 2)}\n`,
    'drift-report.md': markdown(report),
    'junit.xml': junit(report),
  };
  return Object.entries(files).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
}
