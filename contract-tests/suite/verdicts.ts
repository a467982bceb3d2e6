// Small verdicts the checks of both operations share, each making findings of one kind: a rule no
// longer enforced, a status other than the one asked for, a value other than the one asked for.
import type { Exchange } from '../../http-kit/exchange.js';
import { boundedCopy, brief, type FindingKind, type Observation, saying } from './findings.js';

/** A breaking finding when a request the service must refuse was accepted (a 2xx). */
export const notEnforced = (exchange: Exchange, rule: string, expected?: number): Observation[] =>
  exchange.status < 300
    ? [
        {
          kind: 'rule-not-enforced',
          severity: 'breaking',
          message: `rule no longer enforced: ${rule} (answered ${exchange.status}${saying(exchange)})`,
          ...(expected === undefined ? {} : { expected }),
          actual: exchange.status,
        },
      ]
    : [];

/**
 * A refusal answered with another status: accepted (a 2xx, or an answer only an accepted request
 * gets, `passedTheRule`) is a rule no longer enforced, anything else a status finding.
 */
export const expectStatus = (exchange: Exchange, status: number, what: string, passedTheRule = false): Observation[] =>
  exchange.status === status
    ? []
    : [
        {
          kind: exchange.status < 300 || passedTheRule ? 'rule-not-enforced' : 'status',
          severity: 'breaking',
          message: `${what}: expected HTTP ${status}, got ${exchange.status}${saying(exchange)}`,
          expected: status,
          actual: exchange.status,
        },
      ];

/** A breaking finding of `kind` when a value the token or body carries is not the one asked for. */
export const mismatch = (
  kind: FindingKind,
  pointer: string,
  what: string,
  expected: unknown,
  actual: unknown,
): Observation[] =>
  expected === actual
    ? []
    : [
        {
          kind,
          severity: 'breaking',
          pointer,
          message: `${what} is ${brief(actual)}, expected ${brief(expected)}`,
          expected: boundedCopy(expected),
          actual: boundedCopy(actual),
        },
      ];
