// Reports any tool can read, of a size any tool can take: findings capped per pointer family and per
// check (the rest counted), the markdown within a CI job summary, the JSON free of lone surrogates
// (jq, Python's json), the JUnit valid XML whatever a finding carries (U+0001, lone surrogates).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, serve } from '../test-support/loopback-server.js';
import { runDriftIn } from './drift-run.js';
import { buildReport, CHECK_CAP, junit, MARKDOWN_BYTES, writeReport } from './report.js';
import { FAMILY_CAP } from './suite/findings.js';
import type { CheckResult } from './suite-results.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string of a parsed JSON value, keys too. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings(item, out);
    }
  return out;
}

/** Python's strict readers: json.load on the JSON report, expat (ElementTree) on the JUnit. */
function pythonReads(jsonPath: string, xmlPath: string) {
  return spawnSync(
    'python3',
    [
      '-c',
      'import json, sys, xml.etree.ElementTree as E; json.load(open(sys.argv[1], encoding="utf-8")); E.parse(sys.argv[2])',
      jsonPath,
      xmlPath,
    ],
    { encoding: 'utf8' },
  );
}

const HOSTILE = 'echoed \u0001 control, lone \ud800 high and \udc00 low surrogates, <tag> & "quotes"';

const result = (
  check: string,
  findings: CheckResult['findings'],
  state: CheckResult['state'] = 'failed',
): CheckResult => ({
  check,
  operation: 'shareSession',
  state,
  durationMs: 12,
  findings,
  calibration: [],
});

describe('every report is valid for strict parsers', () => {
  it('a finding with U+0001 and lone surrogates: JSON.parse, Python json and an XML parser all read the reports', () => {
    const findings = [
      {
        id: 'share.success',
        operation: 'shareSession',
        check: 'share.success',
        kind: 'schema' as const,
        severity: 'breaking' as const,
        message: HOSTILE,
        pointer: `/\ud800${HOSTILE}`,
      },
    ];
    const report = buildReport('live', 'https://x.example', new Date(0), [
      result('share.success', findings),
      { ...result('share.token.ttl', [], 'skipped'), reason: HOSTILE },
      { ...result('share.token.binding', []), error: HOSTILE },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'didit-share-report-'));
    const [jsonPath, , xmlPath] = writeReport(dir, report);
    const parsed = JSON.parse(readFileSync(jsonPath!, 'utf8'));
    expect(strings(parsed).filter((s) => LONE.test(s))).toEqual([]);
    expect(parsed.findings[0].message).toContain('echoed \u0001 control');
    const python = pythonReads(jsonPath!, xmlPath!);
    expect(python.error, 'python3 is needed to run this test').toBeUndefined();
    expect(python.status, python.stderr).toBe(0);
    expect(junit(report)).toContain(
      '<failure message="echoed  control, lone \uFFFD high and \uFFFD low surrogates, &lt;tag> &amp; &quot;quotes&quot;"',
    );
  });
});

describe('reports are bounded', () => {
  it('caps one check at CHECK_CAP findings and counts the rest, keeping the worst severity', () => {
    const many = Array.from({ length: CHECK_CAP + 50 }, (_, i) => ({
      id: `x#${i}`,
      operation: 'shareSession',
      check: 'share.success',
      kind: 'schema' as const,
      severity: i === CHECK_CAP + 49 ? ('breaking' as const) : ('info' as const),
      message: `finding ${i}`,
    }));
    const { findings, summary } = buildReport('live', '', new Date(0), [result('share.success', many)]);
    expect(findings).toHaveLength(CHECK_CAP + 1);
    expect(findings.at(-1)).toMatchObject({
      severity: 'breaking',
      message: expect.stringMatching(/^… and 50 more findings of share\.success/),
    });
    expect(summary.breaking).toBe(1);
  });

  it('a 1 MiB answer with 90,000 undocumented fields: a small JSON, a markdown within the job summary', async () => {
    const fields = Object.fromEntries(Array.from({ length: 90_000 }, (_, i) => [`f${i}`, 0]));
    const server = await serve((res, seen) => {
      if (seen.method === 'HEAD') return res.end();
      const asked = (JSON.parse(seen.body) as { for_application_id?: string }).for_application_id;
      json(res, 200, {
        share_token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
        for_application_id: asked,
        session_kind: 'user',
        ...fields,
      });
    });
    const run = await runDriftIn(['--target', 'live', '--max-body', '2000000'], {
      DIDIT_BASE_URL: server.url,
      DIDIT_API_KEY: 'sk_test_bounded-reports-0123456789',
      DIDIT_SESSION_ID: crypto.randomUUID(),
      DIDIT_FOR_APPLICATION_ID: crypto.randomUUID(),
    });
    await server.close();
    expect(run.report?.incomplete, run.output).toBeUndefined();
    const undocumented = run.report!.findings.filter(
      (f) => f.check === 'share.success' && f.kind === 'undocumented-field',
    );
    expect(undocumented).toHaveLength(FAMILY_CAP + 1);
    expect(undocumented.at(-1)?.message).toMatch(/^… and 89980 more undocumented-field findings under \//);
    const size = (name: string) => statSync(join(run.reportDir, name)).size;
    expect(size('drift-report.json')).toBeLessThan(1_000_000);
    expect(size('drift-report.md')).toBeLessThan(MARKDOWN_BYTES);
  });
});
