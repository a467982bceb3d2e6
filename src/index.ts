export type { paths } from '../generated/schema.js';
export type {
  DiditClient,
  DiditClientOptions,
  ImportSharedSessionRequest,
  ImportSharedSessionResponse,
  RequestOptions,
  ShareSessionRequest,
  ShareSessionResponse,
} from './client.js';
export { createDiditClient } from './client.js';
export { type DiditFetchOptions, diditFetch } from './didit-fetch.js';
export type { DriftFinding } from './drift-findings.js';
export type { AnswerFields, ApiErrorFields, Issue } from './errors.js';
export {
  DiditApiError,
  DiditAuthenticationError,
  DiditBadRequestError,
  DiditConnectionError,
  DiditError,
  DiditNotFoundError,
  DiditPermissionDeniedError,
  DiditRateLimitError,
  DiditResponseTooLargeError,
  DiditResponseValidationError,
  DiditServerError,
  DiditTimeoutError,
  DiditUnreadableResponseError,
  DiditValidationError,
} from './errors.js';
export { type ObserveDriftOptions, observeDrift } from './observe-drift.js';
export type { DiditRawClient } from './raw.js';
export { parseRetryAfter } from './retry.js';
export { decodeShareToken, type ShareTokenClaims } from './token.js';
