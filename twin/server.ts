// A behavioural twin of Didit's Share Session API (DRF-like, in memory) on 127.0.0.1, port 0.
// Order of checks, as on the service: trailing-slash redirect and routing (Django), then the key
// (401), the privilege (403), the throttle (429), the method (405), then the view: for share the
// session (404) before the body (415/400), the finished rule and the target application (400). The
// body: each serializer's own fields, plus the spec's rules for the others (spec-rules.ts).

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keylessStatus, unauthenticatedMessage } from './dialect-responses.js';
import { type Dialect, type DialectName, dialectOf } from './dialects.js';
import { detail, type Reply } from './drf.js';
import { type FailNextOptions, Faults } from './faults.js';
import { importShared } from './import-shared.js';
import { isMutantId, MUTANT_IDS, type MutantId } from './mutants.js';
import { type Has, readShareBody, share } from './share.js';
import { withSpecRules } from './spec-rules.js';
import { type RateLimit, Throttle } from './throttle.js';
import { seedWorld, type TwinFixtures, type World } from './world.js';

export { DIALECTS, type Dialect, type DialectName } from './dialects.js';
export type { FailNextOptions } from './faults.js';
export type { RateLimit } from './throttle.js';
export type { TwinFixtures } from './world.js';

export interface TwinOptions {
  /** A mutant id from `MUTANTS` (./mutants.ts); unknown ids are refused. */
  mutant?: string;
  /** What Didit's pages disagree on (keyless status, import status, decision payload); default `classic`. */
  dialect?: DialectName | Partial<Dialect>;
  /** Per-key sliding window; default Didit's documented 300 writes per 60 s. `false` turns it off. */
  rateLimit?: RateLimit | false;
  /** Whether an imported copy may be shared on (default true); false refuses it (403), as an account's product rule may. */
  shareCopies?: boolean;
}

export interface Twin {
  baseUrl: string;
  /** Exactly the environment for `npm run drift -- --target live` against this twin. */
  env: Record<string, string>;
  /** Ids beyond `env`, for the twin's own tests (not for the drift suite). */
  fixtures: TwinFixtures;
  /** The next request (or `times` requests) answer `status`, whatever they ask; calls queue up. */
  failNext(status: number, options?: FailNextOptions): void;
  close(): Promise<void>;
}

const UUID_SEGMENT = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SHARE_ROUTE = new RegExp(`^/v3/session/(${UUID_SEGMENT})/share/$`);
const IMPORT_ROUTE = /^\/v3\/session\/import-shared\/$/;

type Route = { kind: 'share'; sessionId: string } | { kind: 'import' };

function matchRoute(path: string): Route | undefined {
  const share = SHARE_ROUTE.exec(path);
  if (share?.[1]) return { kind: 'share', sessionId: share[1] };
  return IMPORT_ROUTE.test(path) ? { kind: 'import' } : undefined;
}

/** Django's production 404 page for a path no route matches (HTML, not DRF's JSON). */
const DJANGO_404 =
  '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
  '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';

/** DRF's request.data: no body or no content type → {}; JSON → parsed; else 415. */
function parseBody(req: IncomingMessage, raw: Buffer): { data: unknown } | { reply: Reply } {
  const contentType = req.headers['content-type'];
  if (raw.length === 0 || !contentType) return { data: {} };
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return { reply: detail(415, `Unsupported media type "${contentType}" in request.`) };
  }
  try {
    return { data: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (error) {
    return { reply: detail(400, `JSON parse error - ${(error as Error).message}`) };
  }
}

// Keyless: the dialect's status with DRF's message for it; a wrong key: 401 (documented).
function unauthenticated(has: Has, dialect: Dialect, missing: boolean, route: Route): Reply {
  if (missing && has('auth-missing-key-404')) return detail(404, 'Not found.');
  if (missing && keylessStatus(dialect, route.kind) === 403)
    return detail(403, 'You do not have permission to perform this action.');
  const message = unauthenticatedMessage(dialect, missing);
  return { ...detail(401, message), headers: { 'WWW-Authenticate': 'Api-Key' } };
}

/** Django's production 500 page. */
const SERVER_ERROR: Reply = {
  status: 500,
  body: '<h1>Server Error (500)</h1>',
  contentType: 'text/html; charset=utf-8',
};

interface Ctx {
  world: World;
  throttle: Throttle | undefined;
  has: Has;
  dialect: Dialect;
}

async function view(
  { world, throttle, has, dialect }: Ctx,
  route: Route,
  req: IncomingMessage,
  raw: Buffer,
): Promise<Reply> {
  const header = req.headers['x-api-key'];
  const key = typeof header === 'string' && header !== '' ? header : undefined;
  const caller = key === undefined ? undefined : world.keys.get(key);
  if (!caller) {
    if (route.kind === 'share' && has('auth-body-checked-before-key')) {
      const parsed = parseBody(req, raw);
      if ('reply' in parsed) return parsed.reply;
      const read = withSpecRules('share', parsed.data, readShareBody(parsed.data, has));
      if ('reply' in read) return read.reply;
    }
    return unauthenticated(has, dialect, key === undefined, route);
  }
  const privileged = caller.canWriteSessions || (route.kind === 'share' && has('auth-readonly-key-can-share'));
  if (!privileged) return detail(403, 'You do not have permission to perform this action.');
  const throttled = throttle?.check(caller.key);
  if (throttled) return throttled;
  if (req.method !== 'POST') {
    return { ...detail(405, `Method "${req.method ?? ''}" not allowed.`), headers: { Allow: 'POST, OPTIONS' } };
  }

  if (route.kind === 'import') {
    const parsed = parseBody(req, raw);
    if ('reply' in parsed) return parsed.reply;
    const refused = withSpecRules('import', parsed.data, { body: undefined });
    return 'reply' in refused ? refused.reply : importShared(world, caller, parsed.data, has, dialect);
  }
  const session = world.sessions.get(route.sessionId);
  if (!session || session.applicationId !== caller.applicationId) {
    if (!session && has('share-unknown-session-500')) return SERVER_ERROR;
    return !session && has('auth-unknown-session-403')
      ? detail(403, 'You do not have permission to perform this action.')
      : detail(404, 'Not found.');
  }
  const parsed = parseBody(req, raw);
  if ('reply' in parsed) return parsed.reply;
  const read = withSpecRules('share', parsed.data, readShareBody(parsed.data, has));
  return 'reply' in read ? read.reply : share(world, caller, session, read.body, has, dialect);
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', reply.contentType ?? 'application/json');
  res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
}

export async function startTwin(options: TwinOptions = {}): Promise<Twin> {
  const { mutant } = options;
  if (mutant !== undefined && !isMutantId(mutant)) {
    throw new Error(`Unknown twin mutant "${mutant}". Known: ${MUTANT_IDS.join(', ')}`);
  }
  const has: Has = (id: MutantId) => id === mutant;
  const dialect = dialectOf(options.dialect);
  const { world, fixtures, env } = seedWorld({ shareCopies: options.shareCopies ?? true });
  const limit = options.rateLimit ?? { limit: 300, windowSeconds: 60 };
  const throttle = limit === false ? undefined : new Throttle(limit.limit, limit.windowSeconds);
  const faults = new Faults();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = faults.take();
      if (fault) return send(res, fault);
      const url = new URL(req.url ?? '/', 'http://twin.invalid');
      const route = matchRoute(url.pathname);
      if (!route) {
        if (!url.pathname.endsWith('/') && matchRoute(`${url.pathname}/`)) {
          send(res, { status: 301, headers: { Location: `${url.pathname}/${url.search}` } });
        } else {
          res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end(DJANGO_404);
        }
        return;
      }
      view({ world, throttle, has, dialect }, route, req, Buffer.concat(chunks)).then(
        (reply) => send(res, reply),
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`twin error: ${String(error)}`);
        },
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    env: { DIDIT_BASE_URL: baseUrl, ...env },
    fixtures,
    failNext: (status, failOptions) => faults.add(status, failOptions),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
