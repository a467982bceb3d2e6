/** Longest Retry-After the client waits for; beyond it the error is thrown with `retryAfterMs`. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After (delay-seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return;
  const seconds = Number(value);
  const ms = isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
  // A past date means "now"; NaN (unreadable) stays undefined.
  return ms < 0 ? 0 : ms >= 0 ? ms : undefined;
}

/** Exponential backoff, 0.5 s doubling to 8 s, with up to 25 % jitter so clients spread out. */
export const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() / 4);

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
