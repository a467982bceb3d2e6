/** Longest Retry-After the client waits for; beyond it the error is thrown with `retryAfterMs`. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * A Retry-After value (delay-seconds or an HTTP date) in milliseconds: `'12'` is 12 000, a date is the
 * time left until it (a past one is 0). Takes the response's headers or the header's value; undefined
 * when absent or unreadable. `now` (ms since the epoch) is when the answer came, for an HTTP date.
 */
export function parseRetryAfter(value: Headers | string | null | undefined, now = Date.now()): number | undefined {
  const text = typeof value === 'object' && value ? value.get('retry-after') : value;
  if (!text) return;
  const seconds = Number(text);
  const ms = Number.isNaN(seconds) ? Date.parse(text) - now : seconds * 1000;
  // A past date means "now"; NaN (unreadable) stays undefined.
  return ms < 0 ? 0 : ms >= 0 ? ms : undefined;
}

/** Exponential backoff, 0.5 s doubling to 8 s, with up to 25 % jitter so clients spread out. */
export const backoffMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8000) * (1 - Math.random() / 4);

/** What the retry decision looks at. */
export interface Attempted {
  /** The answer's status; undefined when there was none (a network failure or the timeout). */
  status: number | undefined;
  /** Retry-After of the answer, in ms. */
  retryAfterMs: number | undefined;
  /** False when sending again could do the work twice (an import). */
  idempotent: boolean;
  /** Attempts made so far, minus one. */
  n: number;
  maxRetries: number;
}

/**
 * How long to wait before the next attempt, or undefined to give up: 429 is always worth another
 * try; 5xx and no answer only when repeating is safe. A Retry-After is honoured exactly, and one over
 * MAX_RETRY_AFTER_MS is not waited for (the error carries it).
 */
export function retryDelay({ status, retryAfterMs: wait, idempotent, n, maxRetries }: Attempted): number | undefined {
  const retryable = status === 429 || (idempotent && (status === undefined || status > 499));
  if (!retryable || n >= maxRetries || (wait ?? 0) > MAX_RETRY_AFTER_MS) return;
  return wait ?? backoffMs(n);
}

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
