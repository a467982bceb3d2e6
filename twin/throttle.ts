// Didit's documented rate limit: per API key, a 60-second sliding window (writes: 300 per minute).
import type { Reply } from './drf.js';

export interface RateLimit {
  /** Requests allowed per key in the window (Didit: 300 writes per minute). */
  limit: number;
  /** Default 60. */
  windowSeconds?: number;
}

export class Throttle {
  private readonly hits = new Map<string, number[]>();
  private readonly windowMs: number;

  constructor(
    private readonly limit: number,
    windowSeconds = 60,
  ) {
    this.windowMs = windowSeconds * 1000;
  }

  /** Records the request and answers undefined, or answers the 429 (without recording it). */
  check(key: string, now = Date.now()): Reply | undefined {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.hits.set(key, recent);
    if (recent.length < this.limit) {
      recent.push(now);
      return undefined;
    }
    const oldest = recent[0] ?? now;
    const resetMs = oldest + this.windowMs;
    const wait = Math.max(1, Math.ceil((resetMs - now) / 1000));
    return {
      status: 429,
      body: { detail: `Request was throttled. Expected available in ${wait} seconds.` },
      headers: {
        'X-RateLimit-Limit': String(this.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(Math.ceil(resetMs / 1000)),
        'Retry-After': String(wait),
      },
    };
  }
}
