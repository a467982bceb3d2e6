// failNext: the next requests answer a status the caller chose, before routing, the key or the throttle,
// so a team can see its own retry and error handling at work without waiting for Didit to fail.
import { STATUS_CODES } from 'node:http';
import type { Reply } from './drf.js';

export interface FailNextOptions {
  /** How many requests in a row answer the status. Default 1. */
  times?: number | undefined;
  /** Sent as `Retry-After` (delay in seconds); no header when absent. */
  retryAfter?: number | undefined;
}

// DRF's default messages for the exceptions that raise these statuses; others get Node's reason phrase.
const DRF_DETAIL: Record<number, string> = {
  400: 'Invalid input.',
  401: 'Incorrect authentication credentials.',
  403: 'You do not have permission to perform this action.',
  404: 'Not found.',
  429: 'Request was throttled.',
  500: 'A server error occurred.',
  503: 'Service temporarily unavailable, try again later.',
};

function failure(status: number, retryAfter: number | undefined): Reply {
  let message = DRF_DETAIL[status] ?? STATUS_CODES[status] ?? 'Error';
  if (status === 429 && retryAfter !== undefined) {
    message += ` Expected available in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
  }
  return {
    status,
    body: { detail: message },
    ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': String(retryAfter) } }),
  };
}

/** The queue of failures to answer, oldest first: each failNext call appends to it. */
export class Faults {
  private readonly queue: Reply[] = [];

  add(status: number, options: FailNextOptions = {}): void {
    const { times = 1, retryAfter } = options;
    // Refused loudly: a typo here would otherwise make a test pass for the wrong reason.
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`failNext: status must be an HTTP error status (400 to 599), got ${String(status)}`);
    }
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`failNext: times must be a whole number of at least 1, got ${String(times)}`);
    }
    if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0)) {
      throw new RangeError(`failNext: retryAfter must be a whole number of seconds (0 or more), got ${retryAfter}`);
    }
    for (let i = 0; i < times; i++) this.queue.push(failure(status, retryAfter));
  }

  /** The failure the next request answers, if any (consumed). */
  take(): Reply | undefined {
    return this.queue.shift();
  }
}
