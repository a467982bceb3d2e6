// npm run calibrate: runs the live suite (the environment of `npm run drift -- --target live`) and
// writes into the spec what the service did — each unsettled fact it observed becomes `settled`,
// each assumption it confirmed or refuted gets `x-observed` (a confirmed one drops `x-assumption`, so
// the next drift run holds the service to it) — then regenerates generated/. The YAML is edited in
// place with the `yaml` document API: comments, order and formatting survive. One line per edit,
// with its evidence. Exit 0 when done (also with nothing left to pin), 2 when it cannot run.
// Usage: npm run calibrate -- [--spec PATH] [--report-dir DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Document, isMap, parseDocument } from 'yaml';
import { describeSpecEdit } from '../scripts/spec-compare.js';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { unsettledFacts } from '../spec-kit/unsettled.js';
import { CannotRun, drift } from './drift.js';
import type { Environment } from './drift-target.js';
import type { DriftReport } from './report.js';
import { redact } from './run-secrets.js';
import type { CalibrationNote } from './suite/findings.js';

type FactNote = Extract<CalibrationNote, { kind: 'fact' }>;
type AssumptionNote = Extract<CalibrationNote, { kind: 'assumption' }>;

// The spec is committed: evidence keeps the request, status and body shape, not the account's ids.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const withoutIds = (evidence: string) => evidence.replace(UUID, '<uuid>');

/** `#/a/b~1c` → ['a', 'b/c'] */
const pathOf = (pointer: string) =>
  pointer
    .replace(/^#\//, '')
    .split('/')
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Pins each unsettled fact the run observed consistently; returns one line per edit or refusal. */
function pinFacts(doc: Document, notes: FactNote[], on: string): string[] {
  const facts = unsettledFacts(doc.toJS());
  const lines: string[] = [];
  for (const [id, seen] of groupBy(notes, (n) => n.fact)) {
    const fact = facts.find((f) => f.id === id);
    const values = [...new Set(seen.map((n) => n.value))];
    const candidate = fact?.candidates.find((c) => String(c.value) === values[0]);
    if (!fact || !candidate || values.length > 1) {
      lines.push(
        `  ? ${id}: observed ${values.join(' and ')}, not one candidate: left for a person (${seen[0]!.evidence})`,
      );
      continue;
    }
    if (fact.settled) continue; // held to it by the drift run, which reports any change as breaking
    doc.setIn(
      ['x-unsettled', id, 'settled'],
      doc.createNode({ value: candidate.value, on, evidence: seen[0]!.evidence }),
    );
    lines.push(
      `  ✓ ${id} settled: ${String(candidate.value)} (confirms ${candidate.source})\n      evidence: ${seen[0]!.evidence}`,
    );
  }
  return lines;
}

/** Records each assumption the run confirmed or refuted; a refutation wins over confirmations. */
function observeAssumptions(doc: Document, notes: AssumptionNote[], on: string): string[] {
  const lines: string[] = [];
  for (const [pointer, seen] of groupBy(notes, (n) => n.pointer)) {
    const note = seen.find((n) => n.verdict === 'refuted') ?? seen[0]!;
    const path = pathOf(pointer);
    const node = doc.getIn(path, true);
    if (!isMap(node)) {
      lines.push(`  ? ${pointer}: no such node in the spec (left alone)`);
      continue;
    }
    const previous = doc.getIn([...path, 'x-observed', 'verdict']);
    if (previous === note.verdict) continue;
    if (note.verdict === 'confirmed') {
      if (node.get('x-assumption') !== true) continue;
      node.delete('x-assumption');
    }
    node.set('x-observed', doc.createNode({ verdict: note.verdict, on, evidence: note.evidence }));
    const what =
      note.verdict === 'confirmed'
        ? 'confirmed (x-assumption dropped: now held to it)'
        : 'REFUTED (kept as an assumption: correct the spec by hand)';
    lines.push(`  ${note.verdict === 'confirmed' ? '✓' : '✗'} ${pointer} ${what}\n      evidence: ${note.evidence}`);
  }
  return lines;
}

/** Applies a live run's calibration notes to the spec text; returns the new text and the edit lines. */
export function calibrateText(
  text: string,
  report: Pick<DriftReport, 'calibration' | 'startedAt'>,
): { text: string; lines: string[] } {
  const doc = parseDocument(text);
  const on = report.startedAt.slice(0, 10);
  const notes = report.calibration.map((n) => ({ ...n, evidence: withoutIds(n.evidence) }));
  const facts = notes.filter((n): n is FactNote => n.kind === 'fact');
  const assumptions = notes.filter((n): n is AssumptionNote => n.kind === 'assumption');
  const lines = [...pinFacts(doc, facts, on), ...observeAssumptions(doc, assumptions, on)];
  return { text: doc.toString({ lineWidth: 0, flowCollectionPadding: false }), lines };
}

/**
 * Only a judged run calibrates: one that ended "could not run", or whose happy path (share.success,
 * the documented success with the configured inputs) did not run, writes nothing into the spec.
 */
function assertJudged(report: DriftReport): void {
  if (report.incomplete) throw new CannotRun(report.incomplete);
  const happy = report.checks.find((c) => c.check === 'share.success');
  if (!happy || (happy.state !== 'passed' && happy.state !== 'failed'))
    throw new CannotRun(
      `the happy path (share.success) ${happy ? `was ${happy.state}${happy.reason ? `: ${happy.reason}` : ''}` : 'did not run'}: nothing this run saw can be written into the spec`,
    );
}

export interface CalibrateIo {
  /** Where the DIDIT_* variables come from; default process.env. */
  env?: Environment;
  log?: (line: string) => void;
  error?: (line: string) => void;
}

export async function calibrate(specPath: string, reportDir: string, io: CalibrateIo = {}): Promise<number> {
  const { log = console.log } = io;
  const { report } = await drift({
    target: 'live',
    reportDir,
    specPath,
    log,
    ...(io.env ? { env: io.env } : {}),
  });
  assertJudged(report);
  const before = readFileSync(specPath, 'utf8');
  const { text, lines } = calibrateText(before, report);
  log(`\ncalibration of ${specPath}:`);
  const breaking =
    report.summary.breaking > 0
      ? `Note: the run also found ${report.summary.breaking} breaking finding(s): see the drift report.`
      : '';
  if (text === before) {
    log(
      [...lines, '  nothing left to pin: every fact this run could observe is already settled or recorded.', breaking]
        .filter(Boolean)
        .join('\n'),
    );
    return 0;
  }
  writeFileSync(specPath, text);
  log(lines.join('\n'));
  log(describeSpecEdit(before, text));
  if (specPath === SPEC_PATH) {
    // Loaded only here: the generator (openapi-typescript) takes seconds to import, and a calibration
    // of another spec, or the drift check's own tests that import this file, never need it.
    const { GENERATED_DIR, generate } = await import('../scripts/generate.js');
    await generate(specPath, GENERATED_DIR);
    log('  regenerated generated/');
  }
  log(
    `\n${lines.length} edit(s). Review them (git diff ${specPath === SPEC_PATH ? 'spec/ generated/' : specPath}) and commit: from now on the drift check holds the service to them.`,
  );
  if (breaking) log(breaking);
  return 0;
}

/** `npm run calibrate -- …` short of exiting: resolves with the exit code. */
export async function runCalibrateCli(argv: string[], io: CalibrateIo = {}): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { spec: { type: 'string', default: SPEC_PATH }, 'report-dir': { type: 'string', default: 'reports' } },
    });
    return await calibrate(resolve(values.spec), resolve(values['report-dir']), io);
  } catch (error) {
    const message = error instanceof CannotRun || error instanceof Error ? error.message : String(error);
    (io.error ?? console.error)(`calibration could not run (the spec is unchanged): ${redact(message)}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exit(await runCalibrateCli(process.argv.slice(2)));
