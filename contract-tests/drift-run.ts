// Runs `contract-tests/drift.ts` (or `contract-tests/calibrate.ts`) as a user would (its own process), for the
// tests of the drift check.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DriftReport } from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

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
      ['--import', 'tsx', script, '--report-dir', reportDir, ...args],
      { cwd: ROOT, env: cleanEnv(env), timeout: 120_000 },
      (error, stdout, stderr) => {
        const path = join(reportDir, 'drift-report.json');
        const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DriftReport) : undefined;
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: stdout + stderr, reportDir, ...(report ? { report } : {}) });
      },
    );
    started?.(child);
  });
}
