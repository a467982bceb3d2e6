// Bundle size: esbuild (bundle, minify, ESM, neutral platform) then gzip -9, as a browser app would ship it.

import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

export async function gzipped(contents: string): Promise<{ min: number; gz: number }> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return { min: code.length, gz: gzipSync(code, { level: 9 }).length };
}

const VALIDATORS =
  'validateShareSessionRequest, validateShareSessionResponse, validateImportSharedSessionRequest, validateImportSharedSessionResponse';

export const SIZES = {
  'didit-share client (src/index.ts, everything it imports)': "export * from './src/index.ts';",
  'only createDiditClient imported (raw on openapi-fetch, the token header check)':
    "export { createDiditClient } from './src/index.ts';",
  'only diditFetch imported': "export { diditFetch } from './src/index.ts';",
  'only observeDrift imported': "export { observeDrift } from './src/index.ts';",
  'only decodeShareToken imported': "export { decodeShareToken } from './src/index.ts';",
  'bare openapi-fetch (raw is built on it)': "export { default } from 'openapi-fetch';",
  'parts: the four request/response validators': `export { ${VALIDATORS} } from './generated/validators.js';`,
  'parts: the validators + the two field maps (onDrift)': `export { ${VALIDATORS}, fieldsOfShareSessionResponse, fieldsOfImportSharedSessionResponse } from './generated/validators.js';`,
  'parts: the claims validator': "export { validateShareTokenClaims } from './generated/validators.js';",
  'parts: the error hierarchy': "export * from './src/errors.ts';",
  'parts: redaction': "export { redact } from './src/redact.ts';",
  'parts: drift findings (wording, undocumented fields)': "export { findDrift } from './src/drift-findings.ts';",
};
