export { createDiditClient } from './client.js';
export type {
  DiditClient,
  DiditClientOptions,
  RequestOptions,
  ShareSessionRequest,
  ShareSessionResponse,
  ImportSharedSessionRequest,
  ImportSharedSessionResponse,
} from './client.js';
export type { DiditRawClient } from './raw.js';
export { diditFetch, type DiditFetchOptions } from './didit-fetch.js';
export { observeDrift, type ObserveDriftOptions } from './observe-drift.js';
export type { paths } from '../generated/schema.js';
export type { DriftFinding } from './drift-findings.js';
export { decodeShareToken, type ShareTokenClaims } from './token.js';
export { parseRetryAfter } from './retry.js';
export {
  DiditError,
  DiditValidationError,
  DiditResponseValidationError,
  DiditApiError,
  DiditBadRequestError,
  DiditAuthenticationError,
  DiditPermissionDeniedError,
  DiditNotFoundError,
  DiditRateLimitError,
  DiditServerError,
  DiditConnectionError,
  DiditTimeoutError,
  DiditResponseTooLargeError,
  DiditUnreadableResponseError,
} from './errors.js';
export type { ApiErrorFields, AnswerFields, Issue } from './errors.js';
