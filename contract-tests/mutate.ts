// Runs the drift check against twin mutants in this process (the checks a mutant, each run its own,
// instead of a CLI process each), for the mutation test. The drift CLI itself is run end to end by
// drift.slow.test.ts. Every mutant's record names a check of the registry: a typo fails to compile here.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMutant, MUTANTS } from '../twin/mutants.js';
import { startTwin } from '../twin/server.js';
import { drift } from './drift.js';
import type { DriftReport } from './report.js';
import type { CheckId } from './suite/check-ids.js';

export interface MutantRun {
  id: string;
  /** The drift check's exit code: 0, 1, or 2 (could not run). */
  code: number;
  report?: DriftReport;
  /** The run's progress lines, for a failure message. */
  output: string;
}

/** The twin's variables, less the mutant's omitted ones: the run's whole environment. */
const environment = (env: Record<string, string>, omit: readonly string[] = []) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => !omit.includes(name)));

// The twin imports nothing of the project, so its records are held to the registry's ids here.
MUTANTS satisfies readonly { readonly check: CheckId }[];

export async function runMutant(id: string): Promise<MutantRun> {
  const mutant = findMutant(id);
  if (!mutant) throw new Error(`unknown mutant ${id}`);
  const twin = await startTwin({ mutant: id });
  const reportDir = mkdtempSync(join(tmpdir(), 'didit-share-mutant-'));
  const lines: string[] = [];
  let code: number;
  try {
    ({ code } = await drift({
      target: 'live',
      reportDir,
      env: environment(twin.env, mutant.omitEnv),
      log: (line) => lines.push(line),
    }));
  } catch (error) {
    lines.push(`could not run: ${error instanceof Error ? error.message : String(error)}`);
    code = 2;
  } finally {
    await twin.close();
  }
  const path = join(reportDir, 'drift-report.json');
  const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DriftReport) : undefined;
  return { id, code, output: lines.join('\n'), ...(report ? { report } : {}) };
}
