// The drift check: runs the contract suite against Prism (default), a live deployment, or a live
// deployment behind `prism proxy --errors`, writes the report and exits
//   0 no breaking drift · 1 breaking drift found · 2 the check could not run.
// Usage: npm run drift -- [--target prism|live|proxy] [--report-dir DIR] [--spec PATH]
//        [--deadline SECONDS] [--request-timeout SECONDS] [--max-body BYTES] [--list]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PrismProcess } from '../spec-kit/prism.js';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { catalogue, catalogueText } from './catalogue.js';
import type { Clock } from './clock.js';
import { parseDriftArgs, positive, USAGE } from './drift-args.js';
import { CannotRun, type Environment, prepareTarget, TARGETS } from './drift-target.js';
import { runSuite } from './engine.js';
import type { DriftReport } from './report.js';
import { Reported, writeRunReport } from './run-report.js';
import { redact, secretsFromEnv, useSecrets } from './run-secrets.js';
import { beginRun, defaultStatePath, ledgerLine, ledgerOfRun } from './state.js';
import { DEFAULT_TARGET, type TargetConfig, type TargetKind } from './suite/target.js';
import { leftOf, type Progress, type SuiteRun } from './suite-results.js';

export { CannotRun } from './drift-target.js';

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
  /** The state file: the sessions this run leaves the next (default <reportDir>/drift-state.json). */
  statePath?: string;
  /** On SIGINT and SIGTERM, write the partial report ("interrupted") before the process exits (the CLI). */
  interruptible?: boolean;
  /** Progress and summary lines; default console.log. */
  log?: (line: string) => void;
  /** Where DIDIT_BASE_URL and the DIDIT_* variables come from; default process.env. */
  env?: Environment;
  /** The engine's clock (throttle waits, each check's time limit); tests pass a virtual one. */
  clock?: Clock;
  /** Starts the deadline's clock: `fire` once `ms` passed; returns its cancel. Tests fire it on an event instead. */
  deadlineClock?: DeadlineClock;
}

export type DeadlineClock = (fire: () => void, ms: number) => () => void;

const realClock: DeadlineClock = (fire, ms) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

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
    deadlineClock = realClock,
    statePath = defaultStatePath(reportDir),
  } = options;
  useSecrets(secretsFromEnv(env));
  const startedAt = new Date();
  const stop = new AbortController();
  const cancelDeadline = deadlineClock(
    () => stop.abort(`the run's deadline (${deadlineMs / 1000} s, --deadline) passed before every check ran`),
    deadlineMs,
  );
  const progress: Progress = { results: [], collected: new Set() };
  let config: TargetConfig | undefined;
  // Known as soon as it runs, so a signal during the rest of the preparation still takes it down.
  let prism: PrismProcess | undefined;
  // The partial report is written synchronously, then the process exits here (Prism told to stop).
  const interrupted = (signal: NodeJS.Signals) => {
    const why = `interrupted by ${signal} before every check ran`;
    stop.abort(why);
    prism?.kill();
    const left = leftOf(progress);
    const { files } = writeRunReport(reportDir, {
      target,
      startedAt,
      baseUrl: config?.upstreamUrl ?? '',
      results: progress.results,
      incomplete: `${why}${left.length > 0 ? `\nNot run: ${left.join(', ')}` : ''}`,
    });
    console.error(`drift check could not run: ${why}\nPartial report: ${files.join(', ')}`);
    process.exit(2);
  };
  const signals = options.interruptible ? (['SIGINT', 'SIGTERM'] as const) : [];
  for (const signal of signals) process.once(signal, interrupted);
  try {
    config = {
      ...(await prepareTarget(target, specPath, env, (started) => (prism = started), stop.signal)),
      statePath,
    };
    if (target !== 'prism') beginRun(statePath);
    log(`didit-share drift check: target ${target} (${config.upstreamUrl})`);
    const suite = await runSuite({
      target: config,
      log,
      specPath,
      signal: stop.signal,
      progress,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    const incomplete = incompleteReason(suite);
    const sessions = target === 'prism' ? undefined : ledgerOfRun(statePath);
    const { report, files } = writeRunReport(reportDir, {
      target,
      startedAt,
      baseUrl: config.upstreamUrl,
      results: suite.results,
      ...(incomplete ? { incomplete } : {}),
      ...(sessions ? { sessions } : {}),
    });
    const s = report.summary;
    log(
      `\n  checks    ${s.checks}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped, ${s.errored} errored`,
    );
    log(
      `  findings  ${s.breaking + s.nonBreaking + s.info}: ${s.breaking} breaking, ${s.nonBreaking} non-breaking, ${s.info} info`,
    );
    if (sessions) log(`  sessions  ${ledgerLine(sessions)} (state: ${statePath})`);
    // The report is written either way, so a nightly job that cannot complete still leaves its evidence.
    if (incomplete) throw new Reported(`${incomplete}\nPartial report: ${files.join(', ')}`, files);
    log(`\n${s.breaking > 0 ? 'BREAKING DRIFT' : 'No breaking drift'}. Report: ${files.join(', ')}`);
    return { code: s.breaking > 0 ? 1 : 0, report };
  } catch (error) {
    // Every exit-2 path leaves a report saying why, replacing any earlier one.
    if (error instanceof Reported) throw error;
    const why = error instanceof Error ? error.message : String(error);
    const { files } = writeRunReport(reportDir, { target, startedAt, env, incomplete: redact(why) });
    throw new Reported(`${why}\nReport: ${files.join(', ')}`, files);
  } finally {
    cancelDeadline();
    for (const signal of signals) process.off(signal, interrupted);
    await prism?.stop();
  }
}

export interface CliIo {
  /** Where DIDIT_BASE_URL and the DIDIT_* variables come from; default process.env. */
  env?: Environment;
  log?: (line: string) => void;
  error?: (line: string) => void;
  /** The process's own run: a signal writes the partial report and exits. */
  interruptible?: boolean;
  clock?: Clock;
  deadlineClock?: DeadlineClock;
}

/** `npm run drift -- …` short of exiting: parses `argv`, runs, and resolves with the exit code. */
export async function runDriftCli(argv: string[], io: CliIo = {}): Promise<number> {
  const { env = process.env, log = console.log, error: logError = console.error } = io;
  useSecrets(secretsFromEnv(env)); // the CLI's process.env holds the keys; so must a run given its env
  const startedAt = new Date();
  // Known before parsing, so even bad arguments leave a report where the user asked for one.
  const reportDirArg = argv[argv.indexOf('--report-dir') + 1];
  let reportDir = resolve(argv.includes('--report-dir') && reportDirArg ? reportDirArg : 'reports');
  let target: string = DEFAULT_TARGET;
  try {
    const values = parseDriftArgs(argv);
    if (values.help) {
      log(USAGE);
      return 0;
    }
    if (values.list) {
      log(catalogueText(catalogue(resolve(values.spec))));
      return 0;
    }
    reportDir = resolve(values['report-dir']);
    target = values.target;
    if (!TARGETS.includes(values.target as TargetKind))
      throw new CannotRun(`--target must be one of ${TARGETS.join(', ')}`);
    const { code } = await drift({
      target: values.target as TargetKind,
      reportDir,
      specPath: resolve(values.spec),
      deadlineMs: positive('deadline', values.deadline) * 1000,
      requestTimeoutMs: positive('request-timeout', values['request-timeout']) * 1000,
      maxBodyBytes: positive('max-body', values['max-body']),
      ...(values.state ? { statePath: resolve(values.state) } : {}),
      env,
      log,
      ...(io.interruptible ? { interruptible: true } : {}),
      ...(io.clock ? { clock: io.clock } : {}),
      ...(io.deadlineClock ? { deadlineClock: io.deadlineClock } : {}),
    });
    return code;
  } catch (error) {
    let message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof Reported)) {
      const { files } = writeRunReport(reportDir, { target, startedAt, env, incomplete: redact(message) });
      message += `\nReport: ${files.join(', ')}`;
    }
    logError(`drift check could not run: ${redact(message)}`);
    return 2;
  }
}

// `npm run drift` starts Node with --optimize-for-size (package.json): a run's garbage is whole parsed
// responses (a 1 MiB body of 90,000 fields parses to several MiB), which V8's default pacing lets pile
// up to several times the live heap; the flag is given at start, as V8 flags are meant to be.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exit(await runDriftCli(process.argv.slice(2), { interruptible: true }));
