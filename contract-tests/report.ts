// The drift report in three forms: JSON (the record), markdown (for $GITHUB_STEP_SUMMARY) and JUnit
// (for CI test views, built by junit-report-builder). Findings arrive redacted; every text is
// redacted again on the way out. Every form is bounded (findings per check capped, the rest counted;
// the markdown within GitHub's 1 MiB job summary) and valid for strict parsers (no lone surrogate in
// the JSON, no character XML 1.0 forbids in the JUnit).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import junitReportBuilder, { type Builder } from 'junit-report-builder';
import { redact } from './run-secrets.js';
import { ledgerLine, type RunLedger } from './state.js';
import type { CalibrationNote, Finding, FindingKind } from './suite/findings.js';
import type { CheckResult } from './suite-results.js';

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

// The package's CommonJS entry is the builder itself (`module.exports = builder`); its types declare
// it as a default export, which NodeNext reads as `.default`.
const junitBuilder = junitReportBuilder as unknown as Builder;

/** Findings one check lists in the report; the rest are counted in one more. */
export const CHECK_CAP = 100;
/** The markdown's budget: GitHub's job summary takes 1 MiB per step; this leaves room for the rest of the job. */
export const MARKDOWN_BYTES = 900_000;
const MARKDOWN_ROWS = 300;
const CELL_CHARS = 600;

/** At most CHECK_CAP findings per check, in order; a check cut short gets one more counting the rest (with their worst severity). */
export function capPerCheck(findings: Finding[], cap = CHECK_CAP): Finding[] {
  const byCheck = new Map<string, Finding[]>();
  for (const f of findings) byCheck.set(f.check, [...(byCheck.get(f.check) ?? []), f]);
  return [...byCheck.values()].flatMap((of) => {
    if (of.length <= cap) return of;
    const rest = of.slice(cap);
    const worst = (['breaking', 'non-breaking', 'info'] as const).find((s) => rest.some((f) => f.severity === s))!;
    const { check, operation } = of[0]!;
    return [
      ...of.slice(0, cap),
      {
        id: `${check}#more`,
        operation,
        check,
        kind: rest[0]!.kind,
        severity: worst,
        message: `… and ${rest.length} more finding${rest.length > 1 ? 's' : ''} of ${check} (not listed: the report keeps ${cap} per check)`,
        actual: rest.length,
      },
    ];
  });
}

// A lone surrogate (half of a UTF-16 pair) is valid in a JS string, not in UTF-8 JSON: jq and Python refuse it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Every string of a JSON value (keys too) with each lone surrogate replaced by U+FFFD. */
function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD') as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(wellFormed) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    Object.defineProperty(copy, wellFormed(key), { value: wellFormed(item), enumerable: true, writable: true });
  return copy as T;
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
  const findings = capPerCheck(results.flatMap((r) => r.findings));
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
  return wellFormed(
    redact({
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
    }),
  );
}

// One table cell: one line, no control character, at most CELL_CHARS characters.
const cell = (text: unknown) => {
  const line = String(text ?? '')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replaceAll('|', '\\|');
  return line.length > CELL_CHARS ? `${line.slice(0, CELL_CHARS)}…` : line;
};

/** The text cut to whole lines within `bytes`, saying where the rest is. */
function withinBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  const note = '\n\n_(cut to fit the job summary: the whole report is drift-report.json)_\n';
  const lines = text.split('\n');
  let size = Buffer.byteLength(note);
  const kept: string[] = [];
  for (const line of lines) {
    size += Buffer.byteLength(line) + 1;
    if (size > bytes) break;
    kept.push(line);
  }
  return kept.join('\n') + note;
}

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
    for (const f of report.findings.slice(0, MARKDOWN_ROWS))
      lines.push(`| ${f.severity} | ${f.kind} | \`${f.check}\` | ${cell(f.pointer)} | ${cell(f.message)} |`);
    const more = report.findings.length - MARKDOWN_ROWS;
    if (more > 0) lines.push('', `… and ${more} more finding${more > 1 ? 's' : ''}: see drift-report.json`);
    lines.push('');
  }
  const skipped = report.checks.filter((c) => c.state === 'skipped');
  if (skipped.length > 0) {
    lines.push('<details><summary>Skipped checks</summary>', '', '| check | why |', '| --- | --- |');
    for (const c of skipped) lines.push(`| \`${c.check}\` | ${cell(c.reason)} |`);
    lines.push('', '</details>', '');
  }
  return withinBytes(redact(lines.join('\n')), MARKDOWN_BYTES);
}

/** The JUnit report (junit-report-builder: escaping, and characters XML 1.0 forbids dropped). */
export function junit(report: DriftReport): string {
  const builder = junitBuilder.newBuilder().name(`didit-share drift (${report.target})`);
  const suite = builder.testSuite().name('drift').timestamp(report.startedAt);
  for (const c of report.checks) {
    const test = suite
      .testCase()
      .className(c.operation)
      .name(c.check)
      .time(Number((c.durationMs / 1000).toFixed(3)));
    if (c.state === 'skipped') test.skipped().standardOutput(c.reason ?? 'skipped');
    else if (c.state === 'errored') test.error(c.reason ?? 'could not run');
    else if (c.state === 'failed') {
      const breaking = report.findings.filter((f) => f.check === c.check && f.severity === 'breaking');
      test
        .failure(breaking[0]?.message ?? c.reason ?? 'check failed')
        .stacktrace(breaking.map((f) => f.message).join('\n'));
    }
  }
  return redact(`${builder.build()}\n`);
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
