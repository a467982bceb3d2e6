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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
