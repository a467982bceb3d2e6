/**
 * Thrown by `readCapped` when the body is not valid in its content-encoding: a response arrived. The
 * transport's exchange turns it into its result; it never reaches a caller.
 */
export class Undecodable extends Error {
  constructor(
    readonly status: number,
    readonly encoding: string,
    cause: unknown,
  ) {
    super(`the ${status} body is not valid ${encoding}`, { cause });
  }
}

/** Thrown by `readCapped` when reading the body fails otherwise (cut off, timed out): a response began. */
export class CutShort extends Error {
  constructor(
    readonly status: number,
    cause: unknown,
  ) {
    super(`the ${status} body was cut short`, { cause });
  }
}

// What zlib (Z_DATA_ERROR, Z_BUF_ERROR…) and brotli (ERR__ERROR_FORMAT_…) call a body they cannot
// decode; undici rejects the read with `TypeError: terminated` and that error as its cause.
const DECODING = /^Z_|^ERR__ERROR_|BROTLI/;
function decodingFailed(error: unknown): boolean {
  for (let e = error, n = 0; e && typeof e === 'object' && n < 4; e = (e as { cause?: unknown }).cause, n++) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && DECODING.test(code)) return true;
  }
  return false;
}

/**
 * The body as text, or undefined when it is over `limit` bytes: a larger `content-length` is refused
 * before a byte is read, and a body without one (chunked, or decompressed past its declared length) is read
 * chunk by chunk and cancelled once over the limit, so memory stays bounded by `limit` whatever the
 * server sends. Cancelling makes fetch close the connection, and the server stop sending.
 */
export async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  const body = response.body;
  if (!body) return '';
  // content-length counts the bytes on the wire (compressed, maybe): it can refuse early, never accept.
  if (Number(response.headers.get('content-length')) > limit) {
    await body.cancel().catch(() => {});
    return undefined;
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const encoding = response.headers.get('content-encoding');
  for (let size = 0; ; ) {
    const { done, value } = await reader.read().catch((error: unknown) => {
      throw encoding && decodingFailed(error)
        ? new Undecodable(response.status, encoding, error)
        : new CutShort(response.status, error);
    });
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
