// Mint a share token in the source application, then import the session in the partner application.
// `npm run example` builds the package and runs this against a mock it starts. By hand: npm run build,
// npm run mock, then DIDIT_API_KEY=any npx tsx examples/share-and-import.ts
import {
  createDiditClient,
  DiditApiError,
  DiditConnectionError,
  DiditPermissionDeniedError,
  DiditRateLimitError,
  DiditValidationError,
  decodeShareToken,
} from 'didit-share';

const baseUrl = process.env.DIDIT_BASE_URL ?? 'http://127.0.0.1:4010';
const source = createDiditClient({ baseUrl }); // key from DIDIT_API_KEY
const partner = createDiditClient({ baseUrl, apiKey: process.env.PARTNER_API_KEY ?? process.env.DIDIT_API_KEY });

try {
  const minted = await source.sessions.share('11111111-2222-3333-4444-555555555555', {
    for_application_id: 'a5f3bca2-46e2-411e-90ef-a580900a57ee',
    ttl_in_seconds: 7200,
  });
  const claims = decodeShareToken(minted.share_token); // decoded, not verified
  console.log(
    `token for ${claims.for_application_id}, ${claims.session_kind}, expires ${new Date(claims.exp * 1000).toISOString()}`,
  );

  const copy = await partner.sessions.importShared({
    share_token: minted.share_token,
    workflow_id: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
    vendor_data: 'partner-user-42',
  });
  console.log(`imported as session ${copy.session_id}: ${copy.status}`);
} catch (error) {
  if (error instanceof DiditValidationError) console.error('fix the input:', error.issues);
  else if (error instanceof DiditPermissionDeniedError)
    console.error('already imported, or not for this application:', error.body);
  else if (error instanceof DiditRateLimitError)
    console.error(`rate-limited; retry in ${error.retryAfterMs ?? 'a few'} ms`);
  else if (error instanceof DiditApiError)
    console.error(`Didit answered ${error.status} (request ${error.requestId}):`, error.body);
  else if (error instanceof DiditConnectionError) console.error('no answer:', error.message);
  else throw error;
  process.exitCode = 1;
}
