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
  for (let size = 0; ; ) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
