// What Didit's own sources disagree on, as switches of the twin: the spec lists these as unsettled
// facts, so the drift check must stay green on every dialect (and a calibrated spec on one only).
export interface Dialect {
  /** A request without x-api-key: 401 on the older pages, 403 on the newer ones. */
  keylessStatus: 401 | 403;
  /** A successful import: 201 (Didit's OpenAPI document) or 200 (an older generated SDK). */
  importStatus: 200 | 201;
  /** The import answers the full decision payload (the newest pages), not only the ten fields the import page names. */
  decisionPayload: boolean;
  /** A keyless import, when it differs from share (Didit's OpenAPI document: share 401, import 403); default `keylessStatus`. */
  importKeylessStatus?: 401 | 403 | undefined;
  /**
   * The answer to a KYC import: `v3` (the pages: `session_kind`, `shared_from_session`, plural feature
   * arrays) or `v2` (Didit's OpenAPI document: neither field, singular feature blocks); default `v3`.
   */
  kycPayload?: 'v3' | 'v2' | undefined;
  /** An import without trust_review is refused 400 naming it (Didit's OpenAPI document); default false. */
  trustReviewRequired?: boolean | undefined;
  /**
   * How refusals read: `pages` (401 for a bad token, 403 for another application's, 404 for a gone
   * original, `{detail}` strings) or `openapi` (Didit's OpenAPI document: those three 400 under
   * `share_token`, its words for the replay and share's refusals, the unfinished `detail` a list); default `pages`.
   */
  refusals?: 'pages' | 'openapi' | undefined;
}

export const DIALECTS = {
  /** The spec's first reading: DRF's 401, a created resource's 201, the import page's example fields. */
  classic: { keylessStatus: 401, importStatus: 201, decisionPayload: false },
  /** Didit as its newest pages describe it: keyless 403, and a decision payload answered 200. */
  current: { keylessStatus: 403, importStatus: 200, decisionPayload: true },
  /** Didit as its own OpenAPI document (openapi-25.json) describes it, wherever that disagrees with its pages. */
  openapi: {
    keylessStatus: 401,
    importKeylessStatus: 403,
    importStatus: 201,
    decisionPayload: true,
    kycPayload: 'v2',
    trustReviewRequired: true,
    refusals: 'openapi',
  },
} as const satisfies Record<string, Dialect>;

export type DialectName = keyof typeof DIALECTS;

export function dialectOf(option: DialectName | Partial<Dialect> | undefined): Dialect {
  if (typeof option === 'string') {
    if (!(option in DIALECTS))
      throw new Error(`Unknown twin dialect "${option}". Known: ${Object.keys(DIALECTS).join(', ')}`);
    return DIALECTS[option];
  }
  return { ...DIALECTS.classic, ...option };
}

/** The decision payload's documented top-level fields beyond the import page's ten, as a sandbox answers them. */
export function decisionFields(): Record<string, unknown> {
  const none: unknown[] = [];
  return {
    environment: 'sandbox',
    features: ['ID_VERIFICATION', 'LIVENESS', 'FACE_MATCH'],
    metadata: null,
    expected_details: null,
    contact_details: null,
    callback: null,
    reviews: [],
    id_verifications: [{ status: 'Approved', document_type: 'Identity Card', issuing_state: 'ESP' }],
    nfc_verifications: none,
    liveness_checks: [{ status: 'Approved', method: 'PASSIVE', score: 97 }],
    face_matches: [{ status: 'Approved', score: 93 }],
    poa_verifications: none,
    document_ai_documents: none,
    phone_verifications: none,
    email_verifications: none,
    aml_screenings: none,
    ip_analyses: [{ status: 'Approved', ip_country_code: 'ES' }],
    database_validations: none,
    questionnaire_responses: none,
  };
}
