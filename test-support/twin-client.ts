// Raw HTTP for the twin's own tests and the mutant probes: sends exactly what a test says (no client,
// no validation, no retries) and answers the kit's one Exchange.

import { type Exchange, exchangeOf, fieldsOf, tokenOf } from '../http-kit/exchange.js';
import { IMPORT_PATH, sharePath } from '../http-kit/paths.js';
import type { Twin } from '../twin/server.js';

export interface RequestOptions {
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

/** One request as the test words it: any method, body, content type and key (or none). */
export async function request(
  twin: Twin,
  path: string,
  body: unknown,
  options: RequestOptions = {},
): Promise<Exchange> {
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
  return exchangeOf(response, await response.text(), path);
}

/** Share as app A (the DIDIT_API_KEY), by default the approved session with the partner. */
export function shareAs(
  twin: Twin,
  options: { sessionId?: string; body?: unknown; key?: string | undefined } = {},
): Promise<Exchange> {
  const body = options.body ?? { for_application_id: envOf(twin, 'DIDIT_FOR_APPLICATION_ID') };
  const key = 'key' in options ? options.key : envOf(twin, 'DIDIT_API_KEY');
  return request(twin, sharePath(options.sessionId ?? envOf(twin, 'DIDIT_SESSION_ID')), body, { key });
}

/** Import as the partner (DIDIT_PARTNER_API_KEY) into its KYC workflow unless told otherwise. */
export function importAs(
  twin: Twin,
  shareToken: string,
  extra: Record<string, unknown> = {},
  key?: string,
): Promise<Exchange> {
  const body = { share_token: shareToken, workflow_id: envOf(twin, 'DIDIT_PARTNER_WORKFLOW_ID'), ...extra };
  return request(twin, IMPORT_PATH, body, { key: key ?? envOf(twin, 'DIDIT_PARTNER_API_KEY') });
}

/**
 * The token a share minted, under its documented name or the renamed one (a mutant renames it, and
 * only the probe of that mutant may change); throws when there is none, so a probe fails loudly.
 */
export function mintedToken(exchange: Exchange): string {
  const token = tokenOf(exchange) ?? fieldsOf(exchange).token;
  if (typeof token !== 'string') throw new Error(`no token in ${exchange.text}`);
  return token;
}

/** Share the approved session with the partner, then import it as the partner. */
export async function roundTrip(
  twin: Twin,
  extra: Record<string, unknown> = {},
): Promise<{ token: string; imported: Exchange }> {
  const token = mintedToken(await shareAs(twin));
  return { token, imported: await importAs(twin, token, extra) };
}
