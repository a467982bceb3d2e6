// npm run upstream in-process for its tests (runUpstreamCli, the report read back), the excerpt of
// Didit's OpenAPI document they start from (fixtures/), and copies of it edited as Didit might.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runUpstreamCli } from './upstream.js';
import type { UpstreamReport } from './upstream-report.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURE = join(ROOT, 'contract-tests/fixtures/didit-openapi-25-share-excerpt.json');
export const REFERENCE = join(ROOT, '../shared/reference/didit-openapi-25-share-excerpt.json');
// biome-ignore lint/suspicious/noExplicitAny: a JSON document the tests edit in place, as Didit might
export type Doc = Record<string, any>;
export const excerpt = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Doc;

export interface UpstreamRun {
  code: number;
  output: string;
  report: UpstreamReport;
  markdown: string;
}

/** One run of the CLI in-process, into a report folder of its own: its exit code, output and reports. */
export async function upstream(...args: string[]): Promise<UpstreamRun> {
  const dir = mkdtempSync(join(tmpdir(), 'didit-share-upstream-'));
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const code = await runUpstreamCli([...args, '--report-dir', dir], { log, error: log });
  return {
    code,
    output: lines.join('\n'),
    report: JSON.parse(readFileSync(join(dir, 'upstream-report.json'), 'utf8')) as UpstreamReport,
    markdown: readFileSync(join(dir, 'upstream-report.md'), 'utf8'),
  };
}

/** A copy of the excerpt, edited, in a file of its own. */
export function edited(edit: (doc: Doc) => void, name = 'openapi.json'): string {
  const doc = excerpt();
  edit(doc);
  const path = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-doc-')), name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** The excerpt with share's 200 schema a chain of schemas, each naming the next twice: 2^depth nodes resolved. */
export function refBomb(depth: number): Doc {
  const doc = excerpt();
  const schemas: Doc = { [`S${depth}`]: { type: 'string' } };
  for (let i = 0; i < depth; i++) {
    const next = { $ref: `#/components/schemas/S${i + 1}` };
    schemas[`S${i}`] = { type: 'object', properties: { a: next, b: next } };
  }
  doc.components.schemas = schemas;
  doc.paths[SHARE].post.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/S0' };
  return doc;
}

export const SHARE = '/v3/session/{sessionId}/share/';
export const IMPORT = '/v3/session/import-shared/';
export const shareBody = (doc: Doc) => doc.paths[SHARE].post.requestBody.content['application/json'].schema.properties;
