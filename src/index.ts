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
export { decodeShareToken, type ShareTokenClaims } from './token.js';
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
} from './errors.js';
export type { Issue } from './errors.js';
