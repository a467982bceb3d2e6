// The engine's clock: the waits a run allows (throttle, backoff) and each check's time limit go
// through one clock, so a test can let minutes of waiting pass without waiting (`virtualClock`).
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Resolves after `ms`; rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fire` once `ms` passed; returns its cancel. */
  timer(ms: number, fire: () => void): () => void;
}

export const realClock: Clock = {
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}),
  timer(ms, fire) {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface VirtualClock extends Clock {
  /** Virtual ms passed: the sum of every wait so far. */
  now(): number;
  /** Each wait asked for, in order. */
  waits: number[];
  /** Moves the time on by `ms` without a wait (a test's stand-in for time passing in a hang). */
  advance(ms: number): void;
}

/**
 * For tests: time passes only by waiting, at once. Every sleep moves the time on by its length
 * (concurrent waits add up, so a time limit fires no later than it would on a real clock), then the
 * timers due fire before the sleeper goes on.
 */
export function virtualClock(): VirtualClock {
  let now = 0;
  const timers = new Set<{ at: number; fire: () => void }>();
  const waits: number[] = [];
  const advance = (ms: number) => {
    now += ms;
    for (const t of [...timers].sort((a, b) => a.at - b.at))
      if (t.at <= now) {
        timers.delete(t);
        t.fire();
      }
  };
  return {
    now: () => now,
    waits,
    advance,
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      waits.push(ms);
      advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    },
    timer(ms, fire) {
      const t = { at: now + ms, fire };
      timers.add(t);
      return () => timers.delete(t);
    },
  };
}
