// Where each import round trip starts, and the hop that leaves the next run a session not imported
// yet. Didit imports a session once per receiving application and documents no API that finishes a
// new one, but an imported copy is a finished session of the receiving application: the source
// shares S → the partner imports it (copy C1) → the partner shares C1 back → the source imports it
// (copy C2, never imported by the partner). C2 is the next run's source, kept in the state file.
import type { Exchange } from '../../http-kit/exchange.js';
import { fieldsOf } from '../../http-kit/exchange.js';
import { IMPORT_PATH, sharePath } from '../../http-kit/paths.js';
import { decodeToken } from '../../http-kit/share-token.js';
import { emptyLedger, keepFresh, keepLedger, type RunLedger, readState, type StateKind } from '../state.js';
import { sentOptionalFields } from './coverage.js';
import { evidence, type Observation } from './findings.js';
import { assertImportHappyPath } from './happy-path.js';
import { assertAccountCanRun, refusalOf } from './refusals.js';
import { send, share, usableToken } from './requests.js';
import type { Run } from './run.js';
import type { Variable } from './target.js';

/** One kind's round trip: the configured session, the partner's workflow, the sharing application's own. */
export interface Lane {
  kind: StateKind;
  session: Variable;
  partnerWorkflow: Variable;
  ownWorkflow: Variable;
}

export const LANES: Record<StateKind, Lane> = {
  user: {
    kind: 'user',
    session: 'DIDIT_SESSION_ID',
    partnerWorkflow: 'DIDIT_PARTNER_WORKFLOW_ID',
    ownWorkflow: 'DIDIT_WORKFLOW_ID',
  },
  business: {
    kind: 'business',
    session: 'DIDIT_BUSINESS_SESSION_ID',
    partnerWorkflow: 'DIDIT_PARTNER_KYB_WORKFLOW_ID',
    ownWorkflow: 'DIDIT_KYB_WORKFLOW_ID',
  },
};

/** What the hop back sends for vendor_data: the optional fields are sent there, to see their documented effect. */
export const SENT_VENDOR_DATA = 'didit-share-drift-check';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const memos = new WeakMap<Run, Map<string, Promise<unknown>>>();
const ledgers = new WeakMap<Run, RunLedger>();

function once<T>(run: Run, key: string, make: () => Promise<T>): Promise<T> {
  const memo = memos.get(run) ?? new Map<string, Promise<unknown>>();
  memos.set(run, memo);
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as Promise<T>;
}

const env = (run: Run, name: Variable) => run.target.get(name) ?? '';

/** This run's ledger so far; kept in the state file as it grows (the mock creates nothing: never kept). */
export const ledgerOf = (run: Run): RunLedger => ledgers.get(run) ?? emptyLedger();

function record(run: Run, change: (ledger: RunLedger) => void): void {
  if (run.target.kind === 'prism') return;
  const ledger = ledgerOf(run);
  change(ledger);
  ledgers.set(run, ledger);
  if (run.target.statePath) keepLedger(run.target.statePath, ledger);
}

/** An import as `key` (a variable's name, or null: no key); a 2xx counts as one import made. */
export async function importAs(run: Run, key: Variable | null, body: Record<string, unknown>): Promise<Exchange> {
  const exchange = await send(run, IMPORT_PATH, { key: key === null ? '' : env(run, key), body });
  if (exchange.status >= 200 && exchange.status < 300) record(run, (l) => l.imports++);
  return exchange;
}

export interface Source {
  sessionId: string;
  from: 'state' | 'configured';
}

export type FirstImport =
  | {
      ok: true;
      source: Source;
      token: string;
      /** Sent without trust_review and vendor_data, to see their defaults. */
      exchange: Exchange;
      body: Record<string, unknown>;
      /** Set when the service refused the omitted trust_review (400 naming it) and the import was sent again with false. */
      trustReviewRefused?: Exchange;
      /** Why the state's session, if any, was not the one imported. */
      notes: string[];
    }
  | {
      ok: false;
      /** The configured session's share, when it minted no usable token. */
      minted?: Exchange;
      /** The configured session's import, when it was refused (e.g. already imported). */
      exchange?: Exchange;
      /** Why the state's session, if any, was not imported instead. */
      notes: string[];
    };

const namesTrustReview = (exchange: Exchange) => exchange.status === 400 && /trust_review/.test(exchange.text);

/** The sessions to try, in order: the state's fresh one, then the configured one. */
function candidates(run: Run, lane: Lane, notes: string[]): Source[] {
  const configured: Source = { sessionId: env(run, lane.session), from: 'configured' };
  const path = run.target.statePath;
  if (run.target.kind === 'prism') return [configured];
  if (!path) {
    notes.push('no state file was given');
    return [configured];
  }
  const { state, problem } = readState(path);
  const fresh = state.fresh[lane.kind];
  if (fresh && fresh !== configured.sessionId) return [{ sessionId: fresh, from: 'state' }, configured];
  notes.push(problem ?? `the state file ${path} holds no fresh ${lane.kind} session`);
  return [configured];
}

async function importOnce(run: Run, lane: Lane, token: string) {
  const importWith = (extra: Record<string, unknown>) =>
    importAs(run, 'DIDIT_PARTNER_API_KEY', {
      share_token: token,
      workflow_id: env(run, lane.partnerWorkflow),
      ...extra,
    });
  const exchange = await importWith({});
  assertAccountCanRun(exchange, 'DIDIT_PARTNER_API_KEY');
  if (!namesTrustReview(exchange)) return { exchange };
  return { exchange: await importWith({ trust_review: false }), trustReviewRefused: exchange };
}

/**
 * The partner's first import this run of `lane`'s source: the state's fresh session when the service
 * still shares and imports it, else the configured one. Made once per run and lane.
 */
export function firstImport(run: Run, lane: Lane): Promise<FirstImport> {
  return once(run, `first:${lane.kind}`, async (): Promise<FirstImport> => {
    const notes: string[] = [];
    for (const source of candidates(run, lane, notes)) {
      const minted = await share(run, undefined, source.sessionId, 'import');
      const token = usableToken(minted);
      if (token === undefined) {
        if (source.from === 'configured') return { ok: false, minted, notes };
        notes.push(
          `the state's session ${source.sessionId} could not be shared (${evidence(minted)}): deleted, or of another application`,
        );
        continue;
      }
      const { exchange, trustReviewRefused } = await importOnce(run, lane, token);
      // The state's session refused (already imported, or any other 4xx): the configured one decides.
      if (source.from === 'state' && exchange.status >= 400 && exchange.status < 500) {
        notes.push(
          refusalOf(exchange) === 'already-imported'
            ? `the state's session ${source.sessionId} was already imported (an earlier run kept it, then did not hop)`
            : `the state's session ${source.sessionId} was not imported (${evidence(exchange)})`,
        );
        continue;
      }
      // The configured inputs' own import refused for one of them (the partner key, its workflow): no verdict.
      assertImportHappyPath(exchange, {
        sameKey: env(run, 'DIDIT_PARTNER_API_KEY') === env(run, 'DIDIT_API_KEY'),
        forPartner: decodeToken(token)?.claims.for_application_id === env(run, 'DIDIT_FOR_APPLICATION_ID'),
        workflow: lane.partnerWorkflow,
      });
      if (exchange.status >= 300) return { ok: false, exchange, notes };
      const body = fieldsOf(exchange);
      record(run, (l) => {
        l.used.push({ kind: lane.kind, ...source });
        if (typeof body.session_id === 'string' && UUID.test(body.session_id))
          l.created.push({ kind: lane.kind, sessionId: body.session_id, in: 'partner' });
      });
      return { ok: true, source, token, exchange, body, notes, ...(trustReviewRefused ? { trustReviewRefused } : {}) };
    }
    return { ok: false, notes };
  });
}

/** An info finding when a state file was there but its session not imported (the next run may have nothing left). */
export function staleState(lane: Lane, first: Extract<FirstImport, { ok: true }>): Observation[] {
  const stale = first.notes.filter((note) => !note.startsWith('no state file'));
  if (first.source.from !== 'configured' || stale.length === 0) return [];
  return [{ kind: 'value', severity: 'info', message: `imported ${lane.session} instead: ${stale.join('; ')}` }];
}

/** What to do when no session is left to import: named exactly, for the skip of every import check. */
export function whatToDo(run: Run, lane: Lane, notes: string[]): string {
  const path = run.target.statePath;
  // Without the sharing application's workflow there is no hop, so no state for the next run either.
  const hopless = run.target.get(lane.ownWorkflow)
    ? ''
    : `Set ${lane.ownWorkflow} (a ${lane.kind === 'user' ? 'KYC' : 'KYB'} workflow of the sharing application) so each run leaves the next a fresh session. `;
  return `${notes.length > 0 ? `${notes.join('; ')}. ` : ''}${hopless}Restore the state file the last run left${path ? ` (${path})` : ''} (in CI: the actions/cache step), or point ${lane.session} at a session the partner has not imported yet`;
}

export type Hop =
  | {
      ok: true;
      /** C1: the partner's copy, and the status its import answered. */
      copy: { sessionId: string; status: unknown };
      /** The source's import of C1: sent with trust_review true and vendor_data, to see their effect. */
      exchange: Exchange;
      body: Record<string, unknown>;
    }
  | { ok: false; why: string };

/**
 * The hop back of `lane`: the partner shares its copy with the sharing application, which imports it
 * into its own workflow; the new copy is kept as the next run's source. Made once per run and lane.
 */
export function hop(run: Run, lane: Lane): Promise<Hop> {
  return once(run, `hop:${lane.kind}`, async (): Promise<Hop> => {
    const first = await firstImport(run, lane);
    if (!first.ok) return { ok: false, why: 'no fresh import this run to hop from (see import.success)' };
    const copy = first.body.session_id;
    const sourceApplication = decodeToken(first.token)?.claims.from_application_id;
    if (typeof copy !== 'string' || !UUID.test(copy))
      return { ok: false, why: 'the import answer names no session_id to share back (see import.success)' };
    if (typeof sourceApplication !== 'string')
      return { ok: false, why: 'the share token names no from_application_id (see share.token.format)' };
    const shared = await send(run, sharePath(copy), {
      key: env(run, 'DIDIT_PARTNER_API_KEY'),
      body: { for_application_id: sourceApplication },
    });
    const token = usableToken(shared);
    if (token === undefined) {
      return {
        ok: false,
        why: `could not hop: the service refused to share the partner's imported copy ${copy} back to the sharing application (${evidence(shared)}). Sharing a copy on is an account or product rule, not drift; without the hop the next run falls back to ${lane.session}`,
      };
    }
    const exchange = await importAs(run, 'DIDIT_API_KEY', {
      share_token: token,
      workflow_id: env(run, lane.ownWorkflow),
      trust_review: true,
      vendor_data: SENT_VENDOR_DATA,
      ...sentOptionalFields(run.spec, 'importSharedSession'),
    });
    assertAccountCanRun(exchange, 'DIDIT_API_KEY');
    const body = fieldsOf(exchange);
    const next = body.session_id;
    if (exchange.status < 300 && typeof next === 'string' && UUID.test(next)) {
      record(run, (l) => l.created.push({ kind: lane.kind, sessionId: next, in: 'source' }));
      if (run.target.statePath) keepFresh(run.target.statePath, lane.kind, next);
    }
    return { ok: true, copy: { sessionId: copy, status: first.body.status }, exchange, body };
  });
}
