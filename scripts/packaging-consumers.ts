// The throwaway consumer projects of scripts/packaging.slow.test.ts: what a user of the published package
// writes, in every module system it claims to support. Each program calls the client end to end
// (validators, retries and the JWT decoder are bundled differently in ESM and CJS) against a fetch
// stand-in, and prints one JSON line the test reads.
import { join } from 'node:path';

const SESSION_ID = '11111111-2222-3333-4444-555555555555';
const PARTNER = 'a5f3bca2-46e2-411e-90ef-a580900a57ee';

/** What every consumer prints on success. */
export interface ConsumerReport {
  format: 'esm' | 'cjs';
  sessionKind: string;
  validationError: boolean;
  isDiditError: boolean;
}

/** One TypeScript source for .mts, .cts and bundler .ts alike; `answer` is the spec's share example. */
export function tsConsumer(answer: unknown): string {
  return `import { createDiditClient, decodeShareToken, DiditError, DiditValidationError, type ShareSessionResponse } from 'didit-share';

const answer: ShareSessionResponse = ${JSON.stringify(answer)};

async function main(): Promise<void> {
  const didit = createDiditClient({
    apiKey: process.env.DIDIT_API_KEY, // string | undefined: must be accepted under exactOptionalPropertyTypes
    baseUrl: undefined,
    fetch: async () => new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }),
  });
  const minted = await didit.sessions.share('${SESSION_ID}', { for_application_id: '${PARTNER}' }, { timeoutMs: undefined });
  const kind: 'user' | 'business' = decodeShareToken(minted.share_token).session_kind;
  // @ts-expect-error for_application_id is required: proves the types are the spec's, not any
  const refused = await didit.sessions.share('${SESSION_ID}', {}).catch((error: unknown) => error);
  const report = {
    format: typeof require === 'function' ? 'cjs' : 'esm',
    sessionKind: kind,
    validationError: refused instanceof DiditValidationError,
    isDiditError: refused instanceof DiditError,
  };
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/** Plain JavaScript: `import` from an .mjs, `require` from a .cjs. */
export function jsConsumer(format: 'esm' | 'cjs', answer: unknown): string {
  const load =
    format === 'esm'
      ? `import { createDiditClient, decodeShareToken, DiditError, DiditValidationError } from 'didit-share';`
      : `const { createDiditClient, decodeShareToken, DiditError, DiditValidationError } = require('didit-share');`;
  return `${load}
const answer = ${JSON.stringify(answer)};
const didit = createDiditClient({
  apiKey: 'test-key',
  fetch: async () => new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } }),
});
(async () => {
  const minted = await didit.sessions.share('${SESSION_ID}', { for_application_id: '${PARTNER}' });
  const refused = await didit.sessions.share('not-a-uuid', { for_application_id: '${PARTNER}' }).catch((e) => e);
  console.log(JSON.stringify({
    format: '${format}',
    sessionKind: decodeShareToken(minted.share_token).session_kind,
    validationError: refused instanceof DiditValidationError,
    isDiditError: refused instanceof DiditError,
  }));
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
}

/** A tsconfig for one consumer: strict, exactOptionalPropertyTypes, Node's types from the repository. */
export function tsconfig(root: string, compilerOptions: Record<string, unknown>, files: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      // Checking every .d.ts (@types/node included) triples the time; attw checks the package's own.
      skipLibCheck: true,
      typeRoots: [join(root, 'node_modules/@types')],
      types: ['node'],
      ...compilerOptions,
    },
    files,
  });
}
