// The `didit-share/testing` entry: the twin the drift suite is proven on, with the ids a team's tests
// need named for what they are, rather than the drift check's environment variables.
import { DIALECTS as DIALECT_TABLE, type Dialect, type DialectName as Name } from './dialects.js';
import type { FailNextOptions } from './faults.js';
import { MUTANTS as CATALOGUE, type MutantId as Id } from './mutants.js';
import { startTwin, type Twin } from './server.js';
import type { RateLimit } from './throttle.js';

export type { Dialect, FailNextOptions, RateLimit };

/** The named dialects: what Didit's pages (and its OpenAPI document) disagree on, as the twin answers it. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = DIALECT_TABLE;
/** A named dialect: `'classic'`, `'current'` or `'openapi'`. */
export type DialectName = Name;
/** The id of a drift mutant of the catalogue (see {@link MUTANTS}). */
export type MutantId = Id;

/** Options of {@link startDiditTwin}. */
export interface DiditTwinOptions {
  /**
   * What Didit's sources disagree on: `classic` (keyless 401, import 201, the import page's fields; the
   * default), `current` (keyless 403, import 200 with the full decision payload), `openapi` (as Didit's
   * OpenAPI document says: keyless share 401 and import 403, token refusals 400 under `share_token`,
   * `trust_review` required, a KYC copy as the V2 payload without `session_kind`), or any mix of the
   * switches, e.g. `{ keylessStatus: 403 }`.
   */
  dialect?: DialectName | Partial<Dialect> | undefined;
  /** One drift mutant of {@link MUTANTS}: the twin then drifts from the spec in that one way. Unknown ids throw. */
  mutant?: MutantId | undefined;
  /** Per API key, a sliding window; default Didit's 300 requests per 60 s. `false` turns it off. */
  rateLimit?: RateLimit | false | undefined;
  /** Whether an imported copy may be shared on (default true); `false` refuses it (403), as an account's product rule may. */
  shareCopies?: boolean | undefined;
}

/** The application that shares: its key, its sessions and a workflow of its own. */
export interface DiditTwinSource {
  /** A key with `write:sessions`. */
  apiKey: string;
  applicationId: string;
  /** A finished (Approved) KYC session. */
  sessionId: string;
  /** A finished (Approved) KYB session. */
  businessSessionId: string;
  /** A session still In Progress: sharing it is refused (400). */
  unfinishedSessionId: string;
  /** A key of the same application without `write:sessions`: sharing with it is refused (403). */
  readonlyApiKey: string;
  /** A KYC workflow of the sharing application (redeeming the partner's token with it is refused, 403). */
  workflowId: string;
  /** A KYB workflow of the sharing application: a KYB copy the partner shares back imports into it. */
  businessWorkflowId: string;
}

/** The partner application the source shares with: tokens are minted for `applicationId`. */
export interface DiditTwinPartner {
  /** A key with `write:sessions`. */
  apiKey: string;
  applicationId: string;
  /** A KYC workflow, to import KYC sessions into. */
  workflowId: string;
  /** A KYB workflow, to import KYB sessions into. */
  businessWorkflowId: string;
}

/** A running twin of Didit's Share Session API on a loopback port. */
export interface DiditTwin {
  /** `http://127.0.0.1:<port>`: the client's `baseUrl`. */
  baseUrl: string;
  source: DiditTwinSource;
  partner: DiditTwinPartner;
  /**
   * The next request, or the next `times` requests, answer `status` (400 to 599) with a DRF-style
   * `{ "detail": … }` body, and `Retry-After: <retryAfter>` when given; calls queue up in order.
   */
  failNext(status: number, options?: FailNextOptions): void;
  /** Stops the twin and frees its port. */
  close(): Promise<void>;
}

/** A catalogued drift mutant: what changes when the twin is started with `{ mutant: id }`. */
export interface MutantInfo {
  id: MutantId;
  operation: 'shareSession' | 'importSharedSession';
  description: string;
}

/** Every drift mutant of the catalogue the drift check is proven against. */
export const MUTANTS: readonly MutantInfo[] = CATALOGUE.map(({ id, operation, description }) => ({
  id,
  operation,
  description,
}));

function need(env: Record<string, string>, name: string): string {
  const value = env[name];
  // Only reachable if the twin's seed and this entry disagree: a bug of the twin, said plainly.
  if (value === undefined) throw new Error(`didit-share/testing: the twin did not seed ${name}`);
  return value;
}

const publicTwin = ({ baseUrl, env, fixtures, failNext, close }: Twin): DiditTwin => ({
  baseUrl,
  source: {
    apiKey: need(env, 'DIDIT_API_KEY'),
    applicationId: fixtures.applicationId,
    sessionId: need(env, 'DIDIT_SESSION_ID'),
    businessSessionId: need(env, 'DIDIT_BUSINESS_SESSION_ID'),
    unfinishedSessionId: need(env, 'DIDIT_UNFINISHED_SESSION_ID'),
    readonlyApiKey: need(env, 'DIDIT_READONLY_API_KEY'),
    workflowId: need(env, 'DIDIT_WORKFLOW_ID'),
    businessWorkflowId: need(env, 'DIDIT_KYB_WORKFLOW_ID'),
  },
  partner: {
    apiKey: need(env, 'DIDIT_PARTNER_API_KEY'),
    applicationId: need(env, 'DIDIT_FOR_APPLICATION_ID'),
    workflowId: need(env, 'DIDIT_PARTNER_WORKFLOW_ID'),
    businessWorkflowId: need(env, 'DIDIT_PARTNER_KYB_WORKFLOW_ID'),
  },
  failNext,
  close,
});

/**
 * Starts a behavioural twin of Didit's Share Session API (Node only) on a free loopback port, with
 * fresh ids and keys: real HS256 share tokens bound and timed as asked, redeemed once per receiving
 * application, `trust_review`, KYB, DRF-style errors and rate-limit headers, as the spec says.
 *
 * @example
 * const twin = await startDiditTwin();
 * const didit = createDiditClient({ apiKey: twin.source.apiKey, baseUrl: twin.baseUrl });
 * // … then await twin.close();
 */
export async function startDiditTwin(options: DiditTwinOptions = {}): Promise<DiditTwin> {
  const { dialect, mutant, rateLimit, shareCopies } = options;
  return publicTwin(
    await startTwin({ dialect, mutant, rateLimit, ...(shareCopies === undefined ? {} : { shareCopies }) }),
  );
}
