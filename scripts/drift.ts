// The drift check: runs the contract suite against Prism (default), a live deployment, or a live
// deployment behind `prism proxy --errors`, writes the report and exits
//   0 no breaking drift · 1 breaking drift found · 2 the check could not run.
// Usage: npm run drift -- [--target prism|live|proxy] [--report-dir DIR] [--spec PATH]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildReport, writeReport, type DriftReport } from '../contract-tests/report.js';
import { redact } from '../contract-tests/redact.js';
import { runSuite, type CheckResult } from '../contract-tests/run-suite.js';
import { startPrism, type PrismProcess } from '../contract-tests/targets/prism.js';
import { DEFAULT_BASE_URL, OPTIONAL_VARS, missingRequired, type TargetKind } from '../contract-tests/suite/target.js';
import { SPEC_PATH, loadSpec, type JsonObject } from './lib/spec.js';
import { firstExample, operationById } from './lib/spec-examples.js';

const TARGETS: TargetKind[] = ['prism', 'live', 'proxy'];

export class CannotRun extends Error {}

/** Inputs for Prism taken from the spec's own examples, so the mock answers them as documented. */
function prismEnv(specPath: string): Record<string, string> {
  const spec = loadSpec(specPath);
  return {
    DIDIT_API_KEY: 'prism-mock-key',
    DIDIT_SESSION_ID: String((operationById(spec, 'shareSession').parameters as JsonObject[])[0]!.example),
    DIDIT_FOR_APPLICATION_ID: String(firstExample(spec, 'shareSession', 'request').for_application_id),
    DIDIT_PARTNER_API_KEY: 'prism-mock-partner-key',
    DIDIT_PARTNER_WORKFLOW_ID: String(firstExample(spec, 'importSharedSession', 'request').workflow_id),
  };
}

/** Any HTTP answer will do; only a network failure means the target is unreachable. */
async function assertReachable(baseUrl: string): Promise<void> {
  try {
    await fetch(baseUrl, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CannotRun(`${baseUrl} is unreachable (${reason}). Check DIDIT_BASE_URL and the network.`);
  }
}

async function prepare(target: TargetKind, specPath: string): Promise<{ baseUrl: string; prism?: PrismProcess }> {
  if (target === 'prism') {
    Object.assign(process.env, prismEnv(specPath));
    const prism = await startPrism({ mode: 'mock', specPath }).catch((e: Error) => {
      throw new CannotRun(`Prism failed to start: ${e.message}`);
    });
    process.env.DIDIT_BASE_URL = prism.baseUrl;
    return { baseUrl: prism.baseUrl, prism };
  }
  const missing = missingRequired();
  if (missing.length > 0) {
    const optional = Object.entries(OPTIONAL_VARS).map(([name, what]) => `  ${name}: ${what}`).join('\n');
    throw new CannotRun(`--target ${target} needs ${missing.join(', ')} in the environment.\nOptional, each enabling more checks:\n${optional}`);
  }
  const baseUrl = (process.env.DIDIT_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  await assertReachable(baseUrl);
  if (target === 'live') return { baseUrl };
  const prism = await startPrism({ mode: 'proxy', upstream: baseUrl, specPath }).catch((e: Error) => {
    throw new CannotRun(`Prism (proxy) failed to start: ${e.message}`);
  });
  process.env.DRIFT_REQUEST_URL = prism.baseUrl;
  return { baseUrl, prism };
}

/** Why the run cannot give a verdict (the target stopped answering, the suite itself broke), if so. */
function incompleteReason(results: CheckResult[], errors: string[]): string | undefined {
  const unavailable = results.find((r) => r.unavailable)?.unavailable;
  if (unavailable) return unavailable;
  const crashed = [...errors, ...results.filter((r) => r.error).map((r) => `${r.check}: ${r.error}`)];
  if (crashed.length > 0) return `the suite itself failed:\n  ${crashed.join('\n  ')}`;
  if (results.length === 0) return 'the suite ran no check';
  return undefined;
}

export interface DriftOptions {
  target: TargetKind;
  reportDir: string;
  /** The spec to hold the target to; default spec/openapi.yaml. */
  specPath?: string;
}

/**
 * Runs the check, writes the report and resolves with the exit code and the report; rejects with
 * CannotRun (after writing the partial report, where there is one) when it cannot give a verdict.
 */
export async function drift({ target, reportDir, specPath = SPEC_PATH }: DriftOptions): Promise<{ code: number; report: DriftReport }> {
  const startedAt = new Date();
  process.env.DRIFT_TARGET = target;
  const { baseUrl, prism } = await prepare(target, specPath);
  try {
    console.log(`didit-share drift check: target ${target} (${baseUrl})`);
    const { results, errors } = await runSuite(console.log, specPath);
    process.exitCode = 0; // vitest sets it on failed tests; the verdict is ours to give
    const incomplete = incompleteReason(results, errors);
    const report = buildReport(target, baseUrl, startedAt, results, incomplete);
    const files = writeReport(reportDir, report);
    const s = report.summary;
    console.log(`\n  checks  passed  skipped  breaking  non-breaking\n  ${[s.checks, s.passed, s.skipped, s.breaking, s.nonBreaking].map((n, i) => String(n).padStart([6, 8, 9, 10, 14][i]!)).join('')}`);
    // The report is written either way, so a nightly job that cannot complete still leaves its evidence.
    if (incomplete) throw new CannotRun(`${incomplete}\nPartial report: ${files.join(', ')}`);
    console.log(`\n${s.breaking > 0 ? 'BREAKING DRIFT' : 'No breaking drift'}. Report: ${files.join(', ')}`);
    return { code: s.breaking > 0 ? 1 : 0, report };
  } finally {
    await prism?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let code: number;
  try {
    const { values } = parseArgs({
      options: { target: { type: 'string', default: 'prism' }, 'report-dir': { type: 'string', default: 'reports' }, spec: { type: 'string', default: SPEC_PATH } },
    });
    if (!TARGETS.includes(values.target as TargetKind)) throw new CannotRun(`--target must be one of ${TARGETS.join(', ')}`);
    ({ code } = await drift({ target: values.target as TargetKind, reportDir: resolve(values['report-dir']), specPath: resolve(values.spec) }));
  } catch (error) {
    console.error(`drift check could not run: ${redact(error instanceof Error ? error.message : String(error))}`);
    code = 2;
  }
  process.exit(code);
}
