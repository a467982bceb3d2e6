/** Longest Retry-After the client waits for; beyond it the error is thrown with `retryAfterMs`. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After (delay-seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return;
  const seconds = Number(value);
  const ms = Number.isNaN(seconds) ? Date.parse(value) - Date.now() : seconds * 1000;
  // A past date means "now"; NaN (unreadable) stays undefined.
  return ms < 0 ? 0 : ms >= 0 ? ms : undefined;
}

/** Exponential backoff, 0.5 s doubling to 8 s, with up to 25 % jitter so clients spread out. */
export const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() / 4);

// Calls in flight per caller signal. Node warns (MaxListenersExceededWarning) once 11 listeners sit
// on one AbortSignal, even if each is removed later, and 50 calls sharing a signal are normal: so a
// signal gets one listener, however many calls wait on it, and keeps it (an empty set) for its life.
// (AbortSignal.any would avoid listeners too, but leaks with long-lived signals on some Node 20s.)
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Runs `fn` once if `signal` aborts; returns the unsubscribe. */
export function onAbort(signal: AbortSignal | undefined, fn: () => void): () => void {
  if (!signal) return () => {};
  let calls = waiting.get(signal);
  if (!calls) {
    const set = (calls = new Set());
    waiting.set(signal, set);
    signal.addEventListener('abort', () => set.forEach((call) => void call()), { once: true });
  }
  calls.add(fn);
  return () => void calls.delete(fn);
}

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const off = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
    const timer = setTimeout(() => {
      off();
      resolve();
    }, ms);
  });
}
