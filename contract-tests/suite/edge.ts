// An answer from something in front of the API (a proxy, a CDN, a WAF) rather than from the service:
// an HTML page where the service documents JSON. Only the service's own answers feed a verdict, so
// such a page is named (status, the headers that say who sent it, the page's title) and the run
// stops with exit 2 before any check reads it: its "Your IP" or "Access Denied" is the edge's word,
// not an account state of the service's, nor drift.
import type { Exchange } from '../../http-kit/exchange.js';

// Headers that name the edge in front of an origin; each shown as `name: value` when present.
const EDGE_HEADERS = ['server', 'cf-ray', 'cf-cache-status', 'x-amz-cf-id', 'via', 'x-cache'];
// Values of `server` (or any header) that only an edge sets. A page carrying none of them is read
// as the edge's only when its status is one the service answers in JSON (below 500).
const EDGE_NAMES = /cloudflare|akamai|nginx|cloudfront|varnish|envoy|awselb|fastly|istio|haproxy|traefik|squid/i;
const AKAMAI = /^x-akamai-|^akamai-/i;

const looksLikeHtml = (exchange: Exchange) =>
  /\bhtml\b/i.test(exchange.contentType) ||
  /^\s*<(!doctype\s+html|html|head|body|title|h1)\b/i.test(exchange.text.slice(0, 512));

/** The page's title, cut and on one line (the server's text, so kept short). */
function titleOf(text: string): string | undefined {
  const title = /<title[^>]*>([^<]{0,400})/i.exec(text.slice(0, 65_536))?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? (title.length > 120 ? `${title.slice(0, 120)}…` : title) : undefined;
}

function edgeHeaders(headers: Headers): string[] {
  const named = EDGE_HEADERS.filter((name) => headers.has(name)).map(
    (name) => `${name}: ${headers.get(name)!.slice(0, 80)}`,
  );
  const akamai: string[] = [];
  headers.forEach((value, name) => {
    if (AKAMAI.test(name) && akamai.length < 2) akamai.push(`${name}: ${value.slice(0, 80)}`);
  });
  return [...named, ...akamai];
}

/**
 * Why the exchange is a page from something in front of the API, or undefined when it may be the
 * service's own answer. `offRoute`: a path outside the spec's routes, where the service's framework
 * answers its own HTML 404.
 */
export function edgePage(exchange: Exchange, { offRoute = false } = {}): string | undefined {
  if (!looksLikeHtml(exchange)) return undefined;
  const headers = edgeHeaders(exchange.headers);
  const byEdge = headers.some((h) => EDGE_NAMES.test(h) || /^(cf-ray|x-amz-cf-id|x-akamai|akamai)/i.test(h));
  // A 5xx HTML page is the service failing unless an edge signs it; off the routes, a 404 is the framework's.
  if (exchange.status >= 500 && !byEdge) return undefined;
  if (offRoute && exchange.status === 404) return undefined;
  const title = titleOf(exchange.text);
  const signed = headers.length > 0 ? ` (${headers.join(', ')})` : '';
  return (
    `answered HTTP ${exchange.status} with an HTML page${title ? ` titled "${title}"` : ''}${signed} where the service answers JSON: ` +
    'a proxy, CDN or firewall in front of the API sent it, not the service, so no check can judge it (not drift). ' +
    "Point DIDIT_BASE_URL at the API's origin, and make sure this runner may reach it (a firewall rule or an IP block in front of it)"
  );
}
