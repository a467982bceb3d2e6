/** Longest Retry-After the client waits for; beyond it the error is thrown with `retryAfterMs`. */
export const MAX_RETRY_AFTER_MS = 60_000;

// RFC 9110 §5.6.7: an HTTP-date is IMF-fixdate, or one of two obsolete forms a recipient must still
// read (RFC 850 with a two-digit year, asctime without a zone, meaning GMT). Case-sensitive, exact spacing.
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`);

/** An HTTP-date in ms since the epoch; undefined when `text` is not one (or names no real time). */
function parseHttpDate(text: string, now: number): number | undefined {
  let day: string, month: string, year: number, clock: string[];
  let m = IMF_FIXDATE.exec(text);
  if (m) [day, month, year, clock] = [m[1]!, m[2]!, Number(m[3]), m.slice(4)];
  else if ((m = RFC850.exec(text))) {
    // A two-digit year more than 50 years ahead is the last past year with those digits.
    const thisYear = new Date(now).getUTCFullYear();
    year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    [day, month, clock] = [m[1]!, m[2]!, m.slice(4)];
  } else if ((m = ASCTIME.exec(text))) [month, day, clock, year] = [m[1]!, m[2]!, m.slice(3, 6), Number(m[6])];
  else return;
  const [h, min, s] = clock.map(Number) as [number, number, number];
  const d = Number(day);
  const ms = Date.UTC(year, MONTHS.indexOf(month), d, h, min, s);
  // Date.UTC rolls 31 Feb into March and 25:00 into the next day: such a date is not one.
  const date = new Date(ms);
  return date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === min && s < 60 ? ms : undefined;
}

/**
 * A Retry-After value in milliseconds, in RFC 9110's forms only: delay-seconds (digits: `'12'` is
 * 12 000) or an HTTP-date (the time left until it; a past one is 0). Takes the response's headers or
 * the header's value; undefined when absent or anything else (`-1`, `0x3C`, `1e3`, `1.5`, ` 60`), so
 * such a response is retried on backoff. `now` (ms since the epoch) is when the response came, for a date.
 */
export function parseRetryAfter(value: Headers | string | null | undefined, now = Date.now()): number | undefined {
  const text = typeof value === 'object' && value ? value.get('retry-after') : value;
  if (!text) return;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = parseHttpDate(text, now);
  return date === undefined ? undefined : Math.max(0, date - now);
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
