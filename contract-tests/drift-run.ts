// Runs `contract-tests/drift.ts` (or `contract-tests/calibrate.ts`) for the tests of the drift check:
// as a user would (its own process), or in this process (the same CLI function short of the process:
// arguments, target, engine, report, exit code), which costs the checks instead of a node and tsx.
// Each in-process call starts a run of its own (contract-tests/engine.ts): nothing is shared.
import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCalibrateCli } from './calibrate.js';
import type { Clock } from './clock.js';
import { type DeadlineClock, runDriftCli } from './drift.js';
import type { DriftReport } from './report.js';
import type { CheckId } from './suite/check-ids.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The checks a run cannot verify without a session the partner has not imported yet, sorted: what a
 * second run without the hop's state, or a run whose state was lost, reports as skipped.
 */
export const FED_BY_A_FRESH_IMPORT = [
  'import.business',
  'import.business.hop',
  'import.copy',
  'import.hop',
  'import.rejects.replay',
  'import.success',
  'import.trust-review-default',
  'import.trust-review-kept',
  'import.vendor-data-omitted',
  'import.vendor-data-sent',
] as const satisfies readonly CheckId[];

export interface DriftRun {
  code: number;
  output: string;
  reportDir: string;
  report?: DriftReport;
}

/** The environment without any DIDIT_ or DRIFT_ variable of the developer's shell, plus `env`. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DIDIT_|DRIFT_|VITEST)/.test(name)),
  );
  return { ...base, ...env };
}

function reportIn(reportDir: string): DriftReport | undefined {
  const path = join(reportDir, 'drift-report.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DriftReport) : undefined;
}

/** Runs the CLI; `started` receives its process (e.g. to signal it mid-run). */
export function runDrift(
  args: string[],
  env: Record<string, string> = {},
  script = 'contract-tests/drift.ts',
  started?: (child: ChildProcess) => void,
): Promise<DriftRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'didit-share-drift-'));
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--optimize-for-size', '--import', 'tsx', script, '--report-dir', reportDir, ...args],
      { cwd: ROOT, env: cleanEnv(env), timeout: 120_000 },
      (error, stdout, stderr) => {
        const report = reportIn(reportDir);
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: stdout + stderr, reportDir, ...(report ? { report } : {}) });
      },
    );
    started?.(child);
  });
}

/**
 * The CLI's function in this process: `env` is the run's whole environment (nothing of the
 * developer's shell). Output is what the CLI would print, stdout then stderr.
 */
export async function runDriftIn(
  args: string[],
  env: Record<string, string> = {},
  {
    cli = 'drift',
    deadlineClock,
    clock,
  }: { cli?: 'drift' | 'calibrate'; deadlineClock?: DeadlineClock; clock?: Clock } = {},
): Promise<DriftRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'didit-share-drift-'));
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env,
    log: (line: string) => out.push(line),
    error: (line: string) => err.push(line),
    ...(deadlineClock ? { deadlineClock } : {}),
    ...(clock ? { clock } : {}),
  };
  const argv = ['--report-dir', reportDir, ...args];
  const code = await (cli === 'drift' ? runDriftCli(argv, io) : runCalibrateCli(argv, io));
  const report = reportIn(reportDir);
  return { code, output: [...out, ...err].join('\n'), reportDir, ...(report ? { report } : {}) };
}
