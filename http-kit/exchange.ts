// One exchange type for everything that speaks raw HTTP to a Didit (the drift check, the twin's tests
// and the mutant probes): what was asked, what came back, and the body read once.

export interface Exchange {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, whatever the content type says; undefined when it is not JSON. */
  json: unknown;
  /** The path requested, for evidence lines. */
  path: string;
}

/** The exchange of a response whose body was read as `text`. */
export function exchangeOf(response: Pick<Response, 'status' | 'headers'>, text: string, path: string): Exchange {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    headers: response.headers,
    text,
    json,
    path,
  };
}

/** The body's fields: the JSON object, or {} when the body is not one (an array, text, nothing). */
export const fieldsOf = (exchange: Exchange): Record<string, unknown> =>
  exchange.json !== null && typeof exchange.json === 'object' && !Array.isArray(exchange.json)
    ? (exchange.json as Record<string, unknown>)
    : {};

/** The share_token a response carries, when it is a string (what the spec names, nothing else). */
export function tokenOf(exchange: Exchange): string | undefined {
  const token = fieldsOf(exchange).share_token;
  return typeof token === 'string' ? token : undefined;
}
