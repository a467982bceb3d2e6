// Raw HTTP helpers for the twin's own tests: send exactly what a test says (no client, no validation).
import type { Twin } from '../twin/server.js';

export const IMPORT_PATH = '/v3/session/import-shared/';
export const sharePath = (sessionId: string): string => `/v3/session/${sessionId}/share/`;

export interface Exchange {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON whatever the content type says ({} when it is not JSON). */
  body: Record<string, unknown>;
}

export interface SendOptions {
  key?: string | undefined;
  /** Default application/json; null sends none. */
  contentType?: string | null;
  /** Sent verbatim instead of JSON.stringify(body). */
  raw?: string;
  method?: string;
}

export function envOf(twin: Twin, name: string): string {
  const value = twin.env[name];
  if (value === undefined) throw new Error(`twin env lacks ${name}`);
  return value;
}

export async function send(twin: Twin, path: string, body: unknown, options: SendOptions = {}): Promise<Exchange> {
  const headers: Record<string, string> = {};
  if (options.key !== undefined) headers['x-api-key'] = options.key;
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  const method = options.method ?? 'POST';
  const response = await fetch(twin.baseUrl + path, {
    method,
    headers,
    redirect: 'manual',
    ...(method === 'GET' ? {} : { body: options.raw ?? JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsedBody: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object') parsedBody = parsed as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    text,
    body: parsedBody,
  };
}

/** Share as app A (the DIDIT_API_KEY), by default the approved session with the partner. */
export function shareAs(
  twin: Twin,
  options: { sessionId?: string; body?: unknown; key?: string | undefined } = {},
): Promise<Exchange> {
  const body = options.body ?? { for_application_id: envOf(twin, 'DIDIT_FOR_APPLICATION_ID') };
  const key = 'key' in options ? options.key : envOf(twin, 'DIDIT_API_KEY');
  return send(twin, sharePath(options.sessionId ?? envOf(twin, 'DIDIT_SESSION_ID')), body, { key });
}

/** Import as the partner (DIDIT_PARTNER_API_KEY) into its KYC workflow unless told otherwise. */
export function importAs(
  twin: Twin,
  shareToken: string,
  extra: Record<string, unknown> = {},
  key?: string,
): Promise<Exchange> {
  const body = { share_token: shareToken, workflow_id: envOf(twin, 'DIDIT_PARTNER_WORKFLOW_ID'), ...extra };
  return send(twin, IMPORT_PATH, body, { key: key ?? envOf(twin, 'DIDIT_PARTNER_API_KEY') });
}

/** The token in a share body, under its documented name or the renamed one. */
export function tokenOf(body: Record<string, unknown>): string {
  const token = body.share_token ?? body.token;
  if (typeof token !== 'string') throw new Error(`no token in ${JSON.stringify(body)}`);
  return token;
}

/** A JWT part decoded without verification (0: header, 1: payload). */
export function jwtPart(token: string, index: 0 | 1): Record<string, unknown> {
  const part = token.split('.')[index] ?? '';
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The same token with a payload one second longer-lived and the original signature. */
export function tamper(token: string): string {
  const [header = '', , signature = ''] = token.split('.');
  const claims = jwtPart(token, 1);
  const payload = Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 1 })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Share the approved session with the partner, then import it as the partner. */
export async function roundTrip(
  twin: Twin,
  extra: Record<string, unknown> = {},
): Promise<{ token: string; imported: Exchange }> {
  const token = tokenOf((await shareAs(twin)).body);
  return { token, imported: await importAs(twin, token, extra) };
}
