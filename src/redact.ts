// Share tokens are JWTs: a JWT-shaped run keeps only its first 10 characters (the header's public
// start), so an error can still hint at which token it was about. Every pattern here runs on up to
// maxResponseBytes of hostile text, so each is linear: a JWT starts only where a word does (else
// `eyJeyJeyJ…` rescans the rest of the text from every `eyJ`), so does a URL scheme, of 32 characters at most.
const JWT = /(?<![\w-])eyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const WHOLE_JWT = new RegExp(`^${JWT.source}$`);

// Didit's API keys (`sk_live_…`, `sk_test_…`) may be echoed in text by a service that was never told
// them (another application's key, a key of the environment): the run after the prefix is hidden. Any
// printable character but a delimiter counts, so a key with dots or slashes is not cut in two.
const DIDIT_KEY = /(sk_(?:live|test)_)[^\s"'`<>,;()[\]{}]+/g;

// A URL printed anywhere (a Location header, a cause's message) drops its `user:password@`.
const URL_CREDENTIALS = /(?<![\w+.-])([a-z][\w+.-]{0,31}:\/\/)[^\s/?#@"'<>]*@/gi;

// A drifted response may carry a token of any shape (opaque, two parts, wrapped in an array or an
// object): every string anywhere below a key that names a token is treated as one.
const TOKEN_KEY = /token/i;

// Bodies nest this deep at most before the rest is dropped: redaction must never overflow the stack.
const MAX_DEPTH = 32;

// Header names: lower-case, and a token echoed into one follows a `-` (`x-t-eyj…`), so the JWT rule
// above cannot find it. A run of three dot-separated parts, starting where a name part does, is cut
// from its `eyj`; linear, as a run starts only after a character outside it.
const NAME_TOKEN = /(?<![\w.-])[\w-]*\.[\w-]*\.[\w.-]*/g;
const NAME_DIDIT_KEY = new RegExp(DIDIT_KEY.source, 'gi');

// Credentials a response might set or echo: such a header is never kept.
const PRIVATE_HEADER = /cookie|authorization|api-?key|token|secret/i;

/** The first 10 characters + '…'; a string too short to cut safely is hidden whole. */
export const shorten = (s: string) => (s.length > 10 ? `${s.slice(0, 10)}…` : '***');

function redactText(text: string, secrets: readonly string[]): string {
  // Secrets go first, whole: a JWT-shaped run inside one must not be cut and leave the rest.
  for (const secret of secrets) text = text.replaceAll(secret, WHOLE_JWT.test(secret) ? shorten(secret) : '***');
  return text.replace(JWT, shorten).replace(DIDIT_KEY, '$1***').replace(URL_CREDENTIALS, '$1');
}

// A header name as fetch gives it (lower-case): every secret hidden whatever its case, since the
// name was lower-cased after the server echoed it; a JWT and a Didit key too.
function redactName(name: string, secrets: readonly string[]): string {
  let text = name.toLowerCase();
  for (const secret of secrets) text = text.replaceAll(secret.toLowerCase(), '***');
  text = text.replace(NAME_TOKEN, (run) => {
    const at = run.indexOf('eyj');
    return at < 0 ? run : run.slice(0, at) + shorten(run.slice(at));
  });
  return text.replace(NAME_DIDIT_KEY, '$1***');
}

function walk(value: unknown, secrets: readonly string[], depth: number, underTokenKey: boolean): unknown {
  if (typeof value === 'string')
    return underTokenKey ? shorten(redactText(value, secrets)) : redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets, depth + 1, underTokenKey));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      key = redactText(key, secrets);
      // Below a token key, a key may itself be a token; short keys (`value`, `jwt`) stay readable.
      if (underTokenKey && key.length > 10) key = shorten(key);
      return [key, walk(item, secrets, depth + 1, underTokenKey || TOKEN_KEY.test(key))];
    }),
  );
}

/**
 * Returns a copy of `value` (a string or any JSON value) where every listed secret becomes `***`,
 * every JWT-shaped run is cut to 10 characters + '…', `sk_live_…`/`sk_test_…` keys keep only their
 * prefix, URLs lose `user:password@`, and every string at any depth below a key naming a token
 * (`share_token`, `accessToken`) keeps at most 10 characters. Works on values, never on JSON text, so
 * any secret is safe.
 */
export function redact<T>(value: T, secrets: readonly (string | undefined)[]): T {
  return walk(
    value,
    secrets.filter((s): s is string => !!s),
    0,
    false,
  ) as T;
}

/**
 * A response's headers as a record (lower-case names), names and values redacted as `redact` does
 * text (a name hides any listed secret whatever its case: a server may echo a key into one);
 * cookies and credential headers dropped.
 */
export function redactHeaders(headers: Headers, secrets: readonly (string | undefined)[]): Record<string, string> {
  const known = secrets.filter((s): s is string => !!s);
  const entries: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!PRIVATE_HEADER.test(name)) entries.push([redactName(name, known), redactText(value, known)]);
  });
  // fromEntries: a header named `__proto__` is an own field like any other, not the record's prototype.
  return Object.fromEntries(entries);
}
