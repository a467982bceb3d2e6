// The twin's in-memory world: applications, API keys, sessions, workflows and imports, seeded with
// fresh random ids on every start.
import { randomBytes, randomUUID } from 'node:crypto';

export type SessionKind = 'user' | 'business';
export const FINISHED_STATUSES: readonly string[] = ['Approved', 'Declined', 'In Review'];

export interface Application {
  id: string;
  pk: number;
  deleted: boolean;
}
export interface ApiKey {
  key: string;
  applicationId: string;
  canWriteSessions: boolean;
}
export interface Session {
  id: string;
  applicationId: string;
  kind: SessionKind;
  status: string;
  number: number;
  /** Set on an imported copy: the session it was imported from (a copy is a session of the receiving application). */
  sharedFrom?: string;
}
export interface Workflow {
  id: string;
  applicationId: string;
  kind: SessionKind;
}

export interface World {
  applications: Map<string, Application>;
  keys: Map<string, ApiKey>;
  sessions: Map<string, Session>;
  workflows: Map<string, Workflow>;
  /** `${originalSessionId} ${receivingApplicationId}` for every import done. */
  imports: Set<string>;
  /** Whether an imported copy may be shared on (default true; false: refused 403, a product rule). */
  shareCopies: boolean;
  /** Signs and verifies share tokens; never leaves the twin except through `fixtures`. */
  secret: Uint8Array;
  nextSessionNumber(applicationId: string): number;
}

/** Ids beyond the drift-check environment, for the twin's own tests. */
export interface TwinFixtures {
  applicationId: string;
  partnerApplicationId: string;
  softDeletedApplicationId: string;
  /** A finished session of the partner application (app A's key must get 404 for it). */
  partnerSessionId: string;
  declinedSessionId: string;
  inReviewSessionId: string;
  notStartedSessionId: string;
  /** A KYB workflow of the partner application (DIDIT_PARTNER_KYB_WORKFLOW_ID). */
  partnerBusinessWorkflowId: string;
  /** A KYC workflow of the sharing application (app A). */
  ownWorkflowId: string;
  /** A KYB workflow of the sharing application (DIDIT_KYB_WORKFLOW_ID): the KYB hop back imports into it. */
  ownBusinessWorkflowId: string;
  /** The HS256 secret, to forge tokens (legacy, expired, for a deleted session) in tests. */
  tokenSecret: Uint8Array;
}

export interface SeededWorld {
  world: World;
  fixtures: TwinFixtures;
  /** The drift-check environment, without DIDIT_BASE_URL. */
  env: Record<string, string>;
}

const apiKey = (): string => randomBytes(24).toString('base64url');

export function seedWorld({ shareCopies = true }: { shareCopies?: boolean } = {}): SeededWorld {
  const counters = new Map<string, number>();
  const world: World = {
    applications: new Map(),
    keys: new Map(),
    sessions: new Map(),
    workflows: new Map(),
    imports: new Set(),
    shareCopies,
    secret: randomBytes(32),
    nextSessionNumber(applicationId) {
      const next = (counters.get(applicationId) ?? 1000) + 1;
      counters.set(applicationId, next);
      return next;
    },
  };
  let pk = 4200;
  const app = (deleted = false): Application => {
    const a = { id: randomUUID(), pk: ++pk, deleted };
    world.applications.set(a.id, a);
    return a;
  };
  const key = (applicationId: string, canWriteSessions: boolean): string => {
    const k = { key: apiKey(), applicationId, canWriteSessions };
    world.keys.set(k.key, k);
    return k.key;
  };
  const session = (applicationId: string, kind: SessionKind, status: string): string => {
    const s = { id: randomUUID(), applicationId, kind, status, number: world.nextSessionNumber(applicationId) };
    world.sessions.set(s.id, s);
    return s.id;
  };
  const workflow = (applicationId: string, kind: SessionKind): string => {
    const w = { id: randomUUID(), applicationId, kind };
    world.workflows.set(w.id, w);
    return w.id;
  };

  const a = app();
  const b = app();
  const deleted = app(true);
  const env: Record<string, string> = {
    DIDIT_API_KEY: key(a.id, true),
    DIDIT_SESSION_ID: session(a.id, 'user', 'Approved'),
    DIDIT_FOR_APPLICATION_ID: b.id,
    DIDIT_UNFINISHED_SESSION_ID: session(a.id, 'user', 'In Progress'),
    DIDIT_BUSINESS_SESSION_ID: session(a.id, 'business', 'Approved'),
    DIDIT_READONLY_API_KEY: key(a.id, false),
    DIDIT_PARTNER_API_KEY: key(b.id, true),
    DIDIT_PARTNER_WORKFLOW_ID: workflow(b.id, 'user'),
    DIDIT_PARTNER_READONLY_API_KEY: key(b.id, false),
    DIDIT_WORKFLOW_ID: workflow(a.id, 'user'),
    DIDIT_PARTNER_KYB_WORKFLOW_ID: workflow(b.id, 'business'),
    DIDIT_KYB_WORKFLOW_ID: workflow(a.id, 'business'),
  };
  const fixtures: TwinFixtures = {
    applicationId: a.id,
    partnerApplicationId: b.id,
    softDeletedApplicationId: deleted.id,
    partnerSessionId: session(b.id, 'user', 'Approved'),
    declinedSessionId: session(a.id, 'user', 'Declined'),
    inReviewSessionId: session(a.id, 'user', 'In Review'),
    notStartedSessionId: session(a.id, 'user', 'Not Started'),
    partnerBusinessWorkflowId: env.DIDIT_PARTNER_KYB_WORKFLOW_ID!,
    ownWorkflowId: env.DIDIT_WORKFLOW_ID!,
    ownBusinessWorkflowId: env.DIDIT_KYB_WORKFLOW_ID!,
    tokenSecret: world.secret,
  };
  return { world, fixtures, env };
}
