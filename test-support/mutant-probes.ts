// One probe per mutant: a small exchange with a twin, reduced to a plain observation that differs
// between the unmutated twin and the mutant. KNOCK_ONS lists the other probes a mutant is allowed to
// change as a direct consequence (e.g. a token that no longer names its session cannot be imported).
import { randomUUID } from 'node:crypto';
import { type Exchange, fieldsOf } from '../http-kit/exchange.js';
import { sharePath } from '../http-kit/paths.js';
import { type DecodedToken, decodeToken } from '../http-kit/share-token.js';
import type { MutantId } from '../twin/mutants.js';
import type { Twin } from '../twin/server.js';
import { DOCUMENTED_FIELDS } from '../twin/spec-rules.js';
import { withTamperedClaims } from './jwt.js';
import { envOf, importAs, mintedToken, request, roundTrip, shareAs } from './twin-client.js';

export type Probe = (twin: Twin) => Promise<unknown>;

const DOCUMENTED_SHARE_FIELDS = Object.keys(DOCUMENTED_FIELDS.share);
const forApp = (t: Twin): string => envOf(t, 'DIDIT_FOR_APPLICATION_ID');
/** Header and claims of the first two parts, whatever follows: a mutant drops the signature, and only its own probe may change. */
const decoded = (token: string): DecodedToken => {
  const [header = '', payload = ''] = token.split('.');
  const parts = decodeToken(`${header}.${payload}.`);
  if (!parts) throw new Error(`not a JWT: ${token}`);
  return parts;
};
const claimsOf = async (t: Twin, body?: unknown) =>
  decoded(mintedToken(await shareAs(t, body === undefined ? {} : { body }))).claims;
/** The fields of an answer's body. */
const fields = async (exchange: Promise<Exchange>) => fieldsOf(await exchange);
const imported = async (t: Twin, extra?: Record<string, unknown>) => fieldsOf((await roundTrip(t, extra)).imported);
const shareStatus = async (t: Twin, body: unknown, sessionId?: string) =>
  (await shareAs(t, { body, ...(sessionId === undefined ? {} : { sessionId }) })).status;

export const PROBES: Record<MutantId, Probe> = {
  'share-drops-session-kind': async (t) => 'session_kind' in (await fields(shareAs(t))),
  'share-renames-share-token': async (t) => 'share_token' in (await fields(shareAs(t))),
  'share-for-application-id-as-integer': async (t) => typeof (await fields(shareAs(t))).for_application_id,
  'share-session-kind-company': async (t) =>
    (await fields(shareAs(t, { sessionId: envOf(t, 'DIDIT_BUSINESS_SESSION_ID') }))).session_kind,
  'share-content-type-text-plain': async (t) => (await shareAs(t)).contentType,
  'share-adds-undocumented-field': async (t) =>
    Object.keys(await fields(shareAs(t))).filter((k) => !DOCUMENTED_SHARE_FIELDS.includes(k)),
  'share-error-body-reshaped': async (t) =>
    fields(shareAs(t, { body: { for_application_id: forApp(t), ttl_in_seconds: 59 } })),
  'share-echoes-wrong-application': async (t) => (await fields(shareAs(t))).for_application_id === forApp(t),
  'import-drops-expires-at': async (t) => 'expires_at' in (await imported(t)),
  'import-answers-202': async (t) => (await roundTrip(t)).imported.status,
  'import-shared-from-session-wrong': async (t) =>
    (await imported(t)).shared_from_session === envOf(t, 'DIDIT_SESSION_ID'),

  'token-alg-hs512': async (t) => decoded(mintedToken(await shareAs(t))).header.alg,
  'token-ignores-requested-ttl': async (t) => {
    const c = await claimsOf(t, { for_application_id: forApp(t), ttl_in_seconds: 7200 });
    return Number(c.exp) - Number(c.iat);
  },
  'token-default-ttl-7200': async (t) => {
    const c = await claimsOf(t);
    return Number(c.exp) - Number(c.iat);
  },
  'token-session-id-wrong': async (t) => (await claimsOf(t)).session_id === envOf(t, 'DIDIT_SESSION_ID'),
  'token-for-application-id-wrong': async (t) => (await claimsOf(t)).for_application_id === forApp(t),
  'token-session-kind-mismatch': async (t) => {
    const exchange = await shareAs(t);
    return decoded(mintedToken(exchange)).claims.session_kind === fieldsOf(exchange).session_kind;
  },
  'token-iat-in-future': async (t) => Math.abs(Number((await claimsOf(t)).iat) - Date.now() / 1000) < 60,
  'token-not-three-parts': async (t) => mintedToken(await shareAs(t)).split('.').length,

  'rule-ttl-below-minimum-accepted': (t) => shareStatus(t, { for_application_id: forApp(t), ttl_in_seconds: 59 }),
  'rule-ttl-above-maximum-accepted': (t) => shareStatus(t, { for_application_id: forApp(t), ttl_in_seconds: 86401 }),
  'rule-non-integer-ttl-accepted': (t) => shareStatus(t, { for_application_id: forApp(t), ttl_in_seconds: 90.5 }),
  'rule-unfinished-session-shareable': (t) =>
    shareStatus(t, { for_application_id: forApp(t) }, envOf(t, 'DIDIT_UNFINISHED_SESSION_ID')),
  'rule-own-application-accepted': async (t) => {
    const own = (await claimsOf(t)).from_application_id;
    return shareStatus(t, { for_application_id: own });
  },
  'rule-missing-for-application-accepted': (t) => shareStatus(t, {}),

  'auth-missing-key-404': async (t) => (await shareAs(t, { key: undefined })).status,
  'auth-readonly-key-can-share': async (t) => (await shareAs(t, { key: envOf(t, 'DIDIT_READONLY_API_KEY') })).status,
  'auth-unknown-session-403': (t) => shareStatus(t, { for_application_id: forApp(t) }, randomUUID()),
  'share-unknown-session-500': (t) => shareStatus(t, { for_application_id: forApp(t) }, randomUUID()),
  'auth-body-checked-before-key': async (t) =>
    (await request(t, sharePath(envOf(t, 'DIDIT_SESSION_ID')), { ttl_in_seconds: 'soon' })).status,

  'import-tampered-token-accepted': async (t) =>
    (await importAs(t, withTamperedClaims(mintedToken(await shareAs(t))))).status,
  'import-replay-accepted': async (t) => {
    const { token } = await roundTrip(t);
    return (await importAs(t, token)).status;
  },
  'import-trust-review-ignored': async (t) => (await imported(t, { trust_review: false })).status,
  'import-wrong-application-accepted': async (t) => {
    const token = mintedToken(await shareAs(t));
    return (await importAs(t, token, { workflow_id: envOf(t, 'DIDIT_WORKFLOW_ID') }, envOf(t, 'DIDIT_API_KEY'))).status;
  },
  // With the partner's workflow, which the sharing application lacks: the audience answers first (403).
  'import-workflow-checked-first': async (t) => {
    const token = mintedToken(await shareAs(t));
    return (await importAs(t, token, {}, envOf(t, 'DIDIT_API_KEY'))).status;
  },
  'import-refused-for-balance': async (t) => (await imported(t)).code,
  'import-payment-required': async (t) => (await roundTrip(t)).imported.status === 402,

  'token-maximum-ttl-lowered': async (t) => {
    const c = await claimsOf(t, { for_application_id: forApp(t), ttl_in_seconds: 86400 });
    return Number(c.exp) - Number(c.iat);
  },
  'rule-ttl-minimum-raised': (t) => shareStatus(t, { for_application_id: forApp(t), ttl_in_seconds: 60 }),
  'import-vendor-data-dropped': async (t) => (await imported(t, { vendor_data: 'partner-user-42' })).vendor_data,
  'import-trust-review-true-approves': async (t) => {
    const token = mintedToken(await shareAs(t, { sessionId: t.fixtures.inReviewSessionId }));
    return fieldsOf(await importAs(t, token, { trust_review: true })).status;
  },
  'import-business-drops-session-kind': async (t) => {
    const token = mintedToken(await shareAs(t, { sessionId: envOf(t, 'DIDIT_BUSINESS_SESSION_ID') }));
    return (
      'session_kind' in fieldsOf(await importAs(t, token, { workflow_id: envOf(t, 'DIDIT_PARTNER_KYB_WORKFLOW_ID') }))
    );
  },
};

/** Import probes: each mints a token through share first, so token drift reaches them. */
const IMPORT_SUCCESS_PROBES: MutantId[] = [
  'import-drops-expires-at',
  'import-answers-202',
  'import-shared-from-session-wrong',
  'import-replay-accepted',
  'import-trust-review-ignored',
  'import-vendor-data-dropped',
  'import-trust-review-true-approves',
  'import-business-drops-session-kind',
];
/** What refusing every valid import changes: each probe that needs an import to go through. */
const IMPORT_REFUSED: MutantId[] = [
  'import-drops-expires-at',
  'import-answers-202',
  'import-shared-from-session-wrong',
  'import-trust-review-ignored',
  'import-tampered-token-accepted',
  'import-vendor-data-dropped',
  'import-trust-review-true-approves',
  'import-business-drops-session-kind',
];

export const KNOCK_ONS: Partial<Record<MutantId, readonly MutantId[]>> = {
  // The renamed field is itself an undocumented addition.
  'share-renames-share-token': ['share-adds-undocumented-field'],
  // No session_kind at all: nothing for the claim to agree with, no "business" for KYB either.
  'share-drops-session-kind': ['token-session-kind-mismatch', 'share-session-kind-company'],
  // A token naming another session, another audience or the other kind cannot be redeemed.
  'token-session-id-wrong': IMPORT_SUCCESS_PROBES,
  // (Its replay probe is unchanged: both imports are 403, "not intended" instead of "already imported".)
  'token-for-application-id-wrong': [
    'import-drops-expires-at',
    'import-answers-202',
    'import-shared-from-session-wrong',
    'import-trust-review-ignored',
    'import-vendor-data-dropped',
    'import-trust-review-true-approves',
    'import-business-drops-session-kind',
    'import-wrong-application-accepted',
    'import-workflow-checked-first',
  ],
  'token-session-kind-mismatch': IMPORT_SUCCESS_PROBES,
  // An unsigned token is never redeemable.
  'token-not-three-parts': [
    ...IMPORT_SUCCESS_PROBES,
    'import-wrong-application-accepted',
    'import-workflow-checked-first',
  ],
  // An integer echo is not the target application either.
  'share-for-application-id-as-integer': ['share-echoes-wrong-application'],
  // The reshaped-error probe sends a TTL of 59, which this mutant accepts.
  'rule-ttl-below-minimum-accepted': ['share-error-body-reshaped'],
  // ...and its field error names the raised minimum.
  'rule-ttl-minimum-raised': ['share-error-body-reshaped'],
  // A token that ignores the TTL asked for ignores the maximum too.
  'token-ignores-requested-ttl': ['token-maximum-ttl-lowered'],
  // The check-order probe also sends no key.
  'auth-missing-key-404': ['auth-body-checked-before-key'],
  // Both probe an unknown session.
  'share-unknown-session-500': ['auth-unknown-session-403'],
  'auth-unknown-session-403': ['share-unknown-session-500'],
  // The audience is no longer checked: the wrong application meets the workflow lookup instead.
  'import-wrong-application-accepted': ['import-workflow-checked-first'],
  'import-refused-for-balance': IMPORT_REFUSED,
  'import-payment-required': [
    ...IMPORT_REFUSED,
    'import-replay-accepted',
    'import-workflow-checked-first',
    'import-wrong-application-accepted',
  ],
};
