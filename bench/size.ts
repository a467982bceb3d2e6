// Bundle size: esbuild (bundle, minify, ESM, neutral platform) then gzip -9, as a browser app would ship it.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';

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

export const SIZES = {
  'didit-share client (src/index.ts, everything it imports)': "export * from './src/index.ts';",
  'only createDiditClient imported (tree-shaken: no jose, no claims validator)':
    "export { createDiditClient } from './src/index.ts';",
  'only decodeShareToken imported': "export { decodeShareToken } from './src/index.ts';",
  'bare openapi-fetch': "export { default } from 'openapi-fetch';",
  'its dependencies alone (openapi-fetch + validators + jose decodeJwt)':
    "export { default } from 'openapi-fetch'; export * from './generated/validators.js'; export { decodeJwt } from 'jose';",
};
