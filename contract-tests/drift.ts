// The drift check: runs the contract suite against Prism (default), a live deployment, or a live
// deployment behind `prism proxy --errors`, writes the report and exits
//   0 no breaking drift · 1 breaking drift found · 2 the check could not run.
// Usage: npm run drift -- [--target prism|live|proxy] [--report-dir DIR] [--spec PATH]
//        [--deadline SECONDS] [--request-timeout SECONDS] [--max-body BYTES]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport, writeReport, type DriftReport } from './report.js';
import { USAGE, parseDriftArgs, positive } from './drift-args.js';
import { redact, secretsFromEnv, useSecrets } from './redact.js';
import { leftOf, loadVitest, runSuite, type Progress, type SuiteRun } from './run-suite.js';
import { startPrism, type PrismProcess } from '../spec-kit/prism.js';
import {
  DEFAULT_BASE_URL,
  DEFAULT_TARGET,
  OPTIONAL_VARS,
  missingRequired,
  variablesOf,
  type TargetConfig,
  type TargetKind,
} from './suite/target.js';
import { SPEC_PATH, loadSpec, type JsonObject } from '../spec-kit/spec.js';
import { firstExample, operationById } from '../spec-kit/spec-examples.js';

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

/** DIDIT_BASE_URL, checked: a URL without credentials (never repeated back, not even in this message). */
function baseUrlFrom(env: Environment): string {
  const raw = env.DIDIT_BASE_URL || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CannotRun(
      'DIDIT_BASE_URL is not a URL: set it to the service origin, e.g. https://verification.didit.me',
    );
  }
  if (url.username || url.password)
    throw new CannotRun(
      'DIDIT_BASE_URL must not hold credentials (user:password@): remove them; the API key is the only credential',
    );
  return raw.replace(/\/+$/, '');
}

type Environment = Record<string, string | undefined>;

/** The run's target, built once: its URLs and variables (the mock's from the spec's own examples). */
async function prepare(
  kind: TargetKind,
  specPath: string,
  env: Environment,
  started: (prism: PrismProcess) => void,
): Promise<{ config: TargetConfig }> {
  if (kind === 'prism') {
    const prism = await startPrism({ mode: 'mock', specPath }).catch((e: Error) => {
      throw new CannotRun(`Prism failed to start: ${e.message}`);
    });
    started(prism);
    return { config: { kind, baseUrl: prism.baseUrl, upstreamUrl: prism.baseUrl, variables: prismEnv(specPath) } };
  }
  const variables = variablesOf(env);
  const missing = missingRequired(variables);
  if (missing.length > 0) {
    const optional = Object.entries(OPTIONAL_VARS)
      .map(([name, what]) => `  ${name}: ${what}`)
      .join('\n');
    throw new CannotRun(
      `--target ${kind} needs ${missing.join(', ')} in the environment.\nOptional, each enabling more checks:\n${optional}`,
    );
  }
  const upstreamUrl = baseUrlFrom(env);
  await assertReachable(upstreamUrl);
  if (kind === 'live') return { config: { kind, baseUrl: upstreamUrl, upstreamUrl, variables } };
  const prism = await startPrism({ mode: 'proxy', upstream: upstreamUrl, specPath }).catch((e: Error) => {
    throw new CannotRun(`Prism (proxy) failed to start: ${e.message}`);
  });
  started(prism);
  return { config: { kind, baseUrl: prism.baseUrl, upstreamUrl, variables } };
}

/** Why the run cannot give a verdict (stopped, the target stopped answering, the suite itself broke), if so. */
function incompleteReason({ results, errors, stopped, left }: SuiteRun): string | undefined {
  if (stopped) return `${stopped}${left.length > 0 ? `\nNot run: ${left.join(', ')}` : ''}`;
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
  /** The whole run's budget; past it the run stops, writes its partial report and exits 2. Default 600 s. */
  deadlineMs?: number;
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
  /** On SIGINT and SIGTERM, write the partial report ("interrupted") before the process exits (the CLI). */
  interruptible?: boolean;
  /** Progress and summary lines; default console.log. */
  log?: (line: string) => void;
  /** Where DIDIT_BASE_URL and the DIDIT_* variables come from; default process.env. */
  env?: Environment;
}

/** A report for a run that never reached the suite, so no earlier report is left standing. */
export function writeEarlyReport(
  reportDir: string,
  target: string,
  startedAt: Date,
  why: string,
  env: Environment = process.env,
): string[] {
  const baseUrl =
    target === 'prism'
      ? ''
      : (() => {
          try {
            return baseUrlFrom(env);
          } catch {
            return '';
          }
        })();
  return writeReport(reportDir, buildReport(target, baseUrl, startedAt, [], why));
}

/**
 * Runs the check, writes the report and resolves with the exit code and the report; rejects with
 * CannotRun (after writing the partial report) when it cannot give a verdict.
 */
export async function drift(options: DriftOptions): Promise<{ code: number; report: DriftReport }> {
  const {
    target,
    reportDir,
    specPath = SPEC_PATH,
    deadlineMs = 600_000,
    requestTimeoutMs,
    maxBodyBytes,
    log = console.log,
    env = process.env,
  } = options;
  useSecrets(secretsFromEnv(env));
  const startedAt = new Date();
  const stop = new AbortController();
  const deadline = setTimeout(
    () => stop.abort(`the run's deadline (${deadlineMs / 1000} s, --deadline) passed before every check ran`),
    deadlineMs,
  );
  const progress: Progress = { results: [], collected: new Set() };
  let prepared: Awaited<ReturnType<typeof prepare>> | undefined;
  // Known as soon as it runs, so a signal during the rest of the preparation still takes it down.
  let prism: PrismProcess | undefined;
  // Vitest exits the process 1 ms after a signal: the partial report is written synchronously, then
  // the process exits here (Prism told to stop, worker threads end with it).
  const interrupted = (signal: NodeJS.Signals) => {
    const why = `interrupted by ${signal} before every check ran`;
    stop.abort(why);
    prism?.kill();
    const left = leftOf(progress);
    const report = buildReport(
      target,
      prepared?.config.upstreamUrl ?? '',
      startedAt,
      progress.results,
      `${why}${left.length > 0 ? `\nNot run: ${left.join(', ')}` : ''}`,
    );
    const files = writeReport(reportDir, report);
    console.error(`drift check could not run: ${why}\nPartial report: ${files.join(', ')}`);
    process.exit(2);
  };
  const signals = options.interruptible ? (['SIGINT', 'SIGTERM'] as const) : [];
  for (const signal of signals) process.once(signal, interrupted);
  try {
    void loadVitest().catch(() => {}); // in parallel with Prism's start; runSuite awaits it (and its error)
    prepared = await prepare(target, specPath, env, (started) => (prism = started));
    const { config } = prepared;
    log(`didit-share drift check: target ${target} (${config.upstreamUrl})`);
    const suite = await runSuite({
      target: config,
      log,
      specPath,
      signal: stop.signal,
      progress,
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    process.exitCode = 0; // vitest sets it on failed tests; the verdict is ours to give
    const incomplete = incompleteReason(suite);
    const report = buildReport(target, config.upstreamUrl, startedAt, suite.results, incomplete);
    const files = writeReport(reportDir, report);
    const s = report.summary;
    log(
      `\n  checks    ${s.checks}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.errored} errored`,
    );
    log(
      `  findings  ${s.breaking + s.nonBreaking + s.info}: ${s.breaking} breaking, ${s.nonBreaking} non-breaking, ${s.info} info`,
    );
    // The report is written either way, so a nightly job that cannot complete still leaves its evidence.
    if (incomplete) throw new CannotRun(`${incomplete}\nPartial report: ${files.join(', ')}`, { cause: 'reported' });
    log(`\n${s.breaking > 0 ? 'BREAKING DRIFT' : 'No breaking drift'}. Report: ${files.join(', ')}`);
    return { code: s.breaking > 0 ? 1 : 0, report };
  } catch (error) {
    // Every exit-2 path leaves a report saying why, replacing any earlier one.
    if (!(error instanceof CannotRun && error.cause === 'reported')) {
      const why = error instanceof Error ? error.message : String(error);
      const files = writeEarlyReport(reportDir, target, startedAt, redact(why), env);
      throw new CannotRun(`${why}\nReport: ${files.join(', ')}`, { cause: 'reported' });
    }
    throw error;
  } finally {
    clearTimeout(deadline);
    for (const signal of signals) process.off(signal, interrupted);
    await prism?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const startedAt = new Date();
  const argv = process.argv.slice(2);
  // Known before parsing, so even bad arguments leave a report where the user asked for one.
  const reportDirArg = argv[argv.indexOf('--report-dir') + 1];
  let reportDir = resolve(argv.includes('--report-dir') && reportDirArg ? reportDirArg : 'reports');
  let target: string = DEFAULT_TARGET;
  let code: number;
  try {
    const values = parseDriftArgs(argv);
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    reportDir = resolve(values['report-dir']);
    target = values.target;
    if (!TARGETS.includes(values.target as TargetKind))
      throw new CannotRun(`--target must be one of ${TARGETS.join(', ')}`);
    ({ code } = await drift({
      target: values.target as TargetKind,
      reportDir,
      specPath: resolve(values.spec),
      interruptible: true,
      deadlineMs: positive('deadline', values.deadline) * 1000,
      requestTimeoutMs: positive('request-timeout', values['request-timeout']) * 1000,
      maxBodyBytes: positive('max-body', values['max-body']),
    }));
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof CannotRun && error.cause === 'reported'))
      message += `\nReport: ${writeEarlyReport(reportDir, target, startedAt, redact(message)).join(', ')}`;
    console.error(`drift check could not run: ${redact(message)}`);
    code = 2;
  }
  process.exit(code);
}
