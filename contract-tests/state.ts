// The drift check's state file: what one run leaves the next, so the import round trip has a session
// the partner has not imported yet every night (the hop, suite/sources.ts). Ids and counts only,
// never a key or a token: every id is checked to be a UUID before it is read or written.
// Default path: <report-dir>/drift-state.json; `--state PATH` moves it (the nightly workflow caches it).
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const STATE_FILE = 'drift-state.json';
export const defaultStatePath = (reportDir: string) => join(reportDir, STATE_FILE);

export type StateKind = 'user' | 'business';

/** What one run did with sessions: the ones it imported from, the copies it made, the imports answered 2xx. */
export interface RunLedger {
  used: Array<{ kind: StateKind; sessionId: string; from: 'state' | 'configured' }>;
  created: Array<{ kind: StateKind; sessionId: string; in: 'partner' | 'source' }>;
  imports: number;
}

export interface DriftState {
  version: 1;
  /** Per kind, the next run's source session: a copy the sharing application imported (never imported by the partner). */
  fresh: Partial<Record<StateKind, string>>;
  /** The last run's ledger (cleared when a run starts). */
  lastRun?: RunLedger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BYTES = 65_536;
const KINDS: StateKind[] = ['user', 'business'];

export const emptyLedger = (): RunLedger => ({ used: [], created: [], imports: 0 });

/** The state at `path`, or why there is none usable (missing, too large, not JSON, not ours). */
export function readState(path: string): { state: DriftState; problem?: string } {
  const empty: DriftState = { version: 1, fresh: {} };
  if (!existsSync(path))
    return { state: empty, problem: `no state file at ${path} (a first run, or its cache was lost)` };
  try {
    if (statSync(path).size > MAX_BYTES)
      return { state: empty, problem: `the state file ${path} is too large to be ours` };
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<DriftState> | null;
    const fresh = parsed && typeof parsed === 'object' ? parsed.fresh : undefined;
    if (parsed?.version !== 1 || !fresh || typeof fresh !== 'object')
      return { state: empty, problem: `the state file ${path} is not a drift state (version 1)` };
    const state: DriftState = { version: 1, fresh: {} };
    for (const kind of KINDS) {
      const id = (fresh as Record<string, unknown>)[kind];
      if (typeof id === 'string' && UUID.test(id)) state.fresh[kind] = id;
    }
    const ledger = ledgerOf(parsed.lastRun);
    return { state: ledger ? { ...state, lastRun: ledger } : state };
  } catch (error) {
    return { state: empty, problem: `the state file ${path} is unreadable (${(error as Error).message})` };
  }
}

function ledgerOf(value: unknown): RunLedger | undefined {
  const v = value as Partial<RunLedger> | undefined;
  if (!v || !Array.isArray(v.used) || !Array.isArray(v.created) || typeof v.imports !== 'number') return undefined;
  const ids = <T extends { sessionId: unknown }>(list: T[]) =>
    list.filter((e) => typeof e.sessionId === 'string' && UUID.test(e.sessionId));
  return { used: ids(v.used), created: ids(v.created), imports: v.imports };
}

function write(path: string, state: DriftState): void {
  for (const id of [...Object.values(state.fresh), ...(state.lastRun?.created ?? []).map((c) => c.sessionId)])
    if (!UUID.test(id ?? '')) throw new Error(`refusing to write a state that is not ids only (${path})`);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, path); // a run killed mid-write leaves the previous state, never half of one
}

/** Records the next run's source session of `kind`, keeping the other kind's. */
export function keepFresh(path: string, kind: StateKind, sessionId: string): void {
  const { state } = readState(path);
  write(path, { ...state, fresh: { ...state.fresh, [kind]: sessionId } });
}

/** Records this run's ledger so far (the runner reads it when the run ends). */
export function keepLedger(path: string, ledger: RunLedger): void {
  const { state } = readState(path);
  write(path, { ...state, lastRun: ledger });
}

/** Clears the last run's ledger when a run starts, so a run that imports nothing reports nothing. */
export function beginRun(path: string): void {
  const { state, problem } = readState(path);
  if (problem || !state.lastRun) return;
  const { lastRun: _last, ...rest } = state;
  write(path, rest);
}

/** The ledger this run left (empty when it imported nothing). */
export const ledgerOfRun = (path: string): RunLedger => readState(path).state.lastRun ?? emptyLedger();

/** The ledger in one line, for the run's summary: which sessions it used and created, how many imports it made. */
export function ledgerLine({ used, created, imports }: RunLedger): string {
  const list = <T extends { kind: StateKind; sessionId: string }>(items: T[], how: (item: T) => string) =>
    items.length === 0 ? 'none' : items.map((i) => `${i.kind} ${i.sessionId} (${how(i)})`).join(', ');
  return `used ${list(used, (u) => (u.from === 'state' ? 'from the state file' : 'configured'))}; created ${list(created, (c) => (c.in === 'partner' ? "the partner's copy" : "the sharing application's copy: the next run's source"))}; ${imports} import${imports === 1 ? '' : 's'} made`;
}
