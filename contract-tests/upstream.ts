// npm run upstream -- [FILE | URL] [--spec PATH] [--report-dir DIR] [--max-bytes N] [--timeout-ms N]
// Compares the spec's two operations with a Didit OpenAPI document (default: Didit's published one)
// and reports each difference (upstream-compare.ts). Exit 0: nothing breaking; 1: a breaking
// difference; 2: the document could not be read, is not OpenAPI, or is too large — never a verdict.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { loadSpec, SPEC_PATH } from '../spec-kit/spec.js';
import { redact } from './run-secrets.js';
import { compareUpstream, DIDIT_OPENAPI_URL } from './upstream-compare.js';
import { buildUpstreamReport, writeUpstreamReport } from './upstream-report.js';

/** Didit's whole published document is a few MB; anything past this is not what we asked for. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 30_000;
const MAX_NESTING = 256;

/** The document could not be compared: exit 2, saying why. */
export class CannotCompare extends Error {}

type Json = Record<string, unknown>;

/** The source as reports and errors show it: a URL's user and password never written. */
export function shownSource(source: string): string {
  if (!/^https?:\/\//i.test(source)) return source;
  try {
    const url = new URL(source);
    if (url.username || url.password) [url.username, url.password] = ['***', ''];
    return url.href;
  } catch {
    return source.replace(/\/\/[^/@]*@/, '//***@');
  }
}

async function readUrl(source: string, maxBytes: number, timeoutMs: number): Promise<string> {
  const url = shownSource(source);
  let response: Response;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    // No key is sent: following redirects leaks nothing.
    response = await fetch(source, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    const cause = signal.aborted
      ? `no answer within ${timeoutMs} ms`
      : ((error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message);
    throw new CannotCompare(`${url} could not be fetched (${cause}): check the address and the network`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new CannotCompare(`${url} answered HTTP ${response.status}: not a document to compare`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader?.cancel().catch(() => {});
        throw new CannotCompare(`${url} is larger than ${maxBytes} bytes: raise --max-bytes if that is expected`);
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof CannotCompare) throw error;
    const why = signal.aborted ? `no whole document within ${timeoutMs} ms` : (error as Error).message;
    throw new CannotCompare(`${url} stopped sending the document (${why}): try again later`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readFile(path: string, maxBytes: number): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CannotCompare(
      `${path} does not exist or cannot be read: pass a Didit OpenAPI document (JSON or YAML) or its URL`,
    );
  }
  if (size > maxBytes)
    throw new CannotCompare(`${path} is larger than ${maxBytes} bytes: raise --max-bytes if that is expected`);
  return readFileSync(path, 'utf8');
}

/** Deeper than any OpenAPI document needs: refused before anything walks it recursively. */
function tooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_NESTING) return true;
    if (node !== null && typeof node === 'object') for (const v of Object.values(node)) stack.push([v, depth + 1]);
  }
  return false;
}

/** The text as an OpenAPI 3 document, or CannotCompare saying what it is instead. */
export function openApiOf(text: string, source: string): Json {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    try {
      doc = parseYaml(text, { maxAliasCount: 100 });
    } catch {
      throw new CannotCompare(`${source} is neither JSON nor YAML: not an OpenAPI document`);
    }
  }
  const version = (doc as Json | null)?.openapi;
  if (
    doc === null ||
    typeof doc !== 'object' ||
    Array.isArray(doc) ||
    typeof version !== 'string' ||
    !/^3\.\d/.test(version)
  )
    throw new CannotCompare(`${source} is not an OpenAPI 3 document (no "openapi": "3.x" field)`);
  const { paths } = doc as Json;
  if (paths === null || typeof paths !== 'object' || Array.isArray(paths))
    throw new CannotCompare(`${source} has no paths: not an API description to compare`);
  if (tooDeep(doc)) throw new CannotCompare(`${source} nests deeper than ${MAX_NESTING} levels: refused`);
  return doc as Json;
}

export interface UpstreamIo {
  log?: (line: string) => void;
  error?: (line: string) => void;
}

/** `npm run upstream -- …` short of exiting: resolves with the exit code. */
export async function runUpstreamCli(argv: string[], io: UpstreamIo = {}): Promise<number> {
  const { log = console.log, error = console.error } = io;
  const startedAt = new Date();
  let values: { spec: string; 'report-dir': string; 'max-bytes': string; 'timeout-ms': string };
  let source: string;
  let shown: string;
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        spec: { type: 'string', default: SPEC_PATH },
        'report-dir': { type: 'string', default: 'reports' },
        'max-bytes': { type: 'string', default: String(MAX_DOCUMENT_BYTES) },
        'timeout-ms': { type: 'string', default: String(FETCH_TIMEOUT_MS) },
      },
    });
    values = parsed.values as typeof values;
    if (parsed.positionals.length > 1) throw new Error(`one document at a time, got ${parsed.positionals.length}`);
    source = parsed.positionals[0] ?? DIDIT_OPENAPI_URL;
    shown = shownSource(source);
  } catch (e) {
    error(
      `upstream: ${(e as Error).message}. Usage: npm run upstream -- [FILE | URL] [--spec PATH] [--report-dir DIR]`,
    );
    return 2;
  }
  const reportDir = resolve(values['report-dir']);
  const maxBytes = Number(values['max-bytes']);
  const timeoutMs = Number(values['timeout-ms']);
  try {
    for (const [flag, n] of [
      ['--max-bytes', maxBytes],
      ['--timeout-ms', timeoutMs],
    ] as const)
      if (!Number.isSafeInteger(n) || n <= 0) throw new CannotCompare(`${flag} must be a positive integer`);
    const text = /^https?:\/\//i.test(source)
      ? await readUrl(source, maxBytes, timeoutMs)
      : readFile(resolve(source), maxBytes);
    const doc = openApiOf(text, shown);
    const info = (doc.info ?? {}) as Json;
    const document = {
      ...(typeof info.title === 'string' ? { title: info.title } : {}),
      ...(typeof info.version === 'string' ? { version: info.version } : {}),
      openapi: String(doc.openapi),
    };
    const report = buildUpstreamReport(shown, startedAt, compareUpstream(loadSpec(resolve(values.spec)), doc), {
      document,
    });
    const files = writeUpstreamReport(reportDir, report);
    for (const d of report.differences.filter((d) => d.severity !== 'info'))
      log(`  ${d.severity === 'breaking' ? '✗' : '·'} ${d.severity}: ${d.where} — ${d.what} (${d.why})`);
    const s = report.summary;
    log(
      `\nDidit's OpenAPI document (${report.source}) vs the spec: ${s.differences} difference(s): ${s.breaking} breaking, ${s.nonBreaking} non-breaking, ${s.info} info (already unsettled or assumed)\nreports: ${files.join(', ')}`,
    );
    return s.breaking > 0 ? 1 : 0;
  } catch (e) {
    const why = e instanceof CannotCompare ? e.message : `the comparison failed: ${(e as Error).message}`;
    writeUpstreamReport(reportDir, buildUpstreamReport(shown, startedAt, [], { incomplete: why }));
    error(`upstream: could not compare (not drift): ${redact(why)}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exit(await runUpstreamCli(process.argv.slice(2)));
