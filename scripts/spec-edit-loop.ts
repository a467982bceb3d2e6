// The spec repository's main loop, timed, in a scratch clone of HEAD: edit spec/openapi.yaml (an
// optional request field `note`, string maxLength 200, and an optional response field `expires_at`,
// date-time, on share; names the spec already has get a suffix), then `npm run generate`,
// `npm run spec:diff -- --base HEAD` and `npm test`, with no other edit. Prints each step's time and
// exits 0 only when spec:diff says minor and npm test is green: "any spec edit flows through".
// Usage: node --import tsx scripts/spec-edit-loop.ts [--keep]   (--keep leaves the clone for a look)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { parseDocument } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const clone = mkdtempSync(join(tmpdir(), 'didit-share-spec-loop-'));
const keep = process.argv.includes('--keep');

execFileSync('git', ['clone', '--quiet', '--local', '--no-hardlinks', ROOT, clone]);
symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');

function unused(doc: ReturnType<typeof parseDocument>, schema: string, name: string): string {
  let out = name;
  for (let n = 2; doc.hasIn(['components', 'schemas', schema, 'properties', out]); n++) out = `${name}_${n}`;
  return out;
}

const specPath = join(clone, 'spec/openapi.yaml');
const started = Date.now();
const doc = parseDocument(readFileSync(specPath, 'utf8'));
const note = unused(doc, 'ShareSessionRequest', 'note');
const expiresAt = unused(doc, 'ShareSessionResponse', 'expires_at');
doc.setIn(
  ['components', 'schemas', 'ShareSessionRequest', 'properties', note],
  doc.createNode({ type: 'string', maxLength: 200, description: 'A note kept with the token (scratch edit).' }),
);
doc.setIn(
  ['components', 'schemas', 'ShareSessionResponse', 'properties', expiresAt],
  doc.createNode({ type: 'string', format: 'date-time', description: 'When the token expires (scratch edit).' }),
);
writeFileSync(specPath, doc.toString());
console.log(
  `edited ${clone}/spec/openapi.yaml: request field ${note} (maxLength 200), response field ${expiresAt} (date-time)`,
);

const timings: string[] = [];
function step(args: string[]): { code: number; out: string } {
  const t0 = Date.now();
  const run = spawnSync('npm', args, {
    cwd: clone,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    maxBuffer: 1 << 28,
  });
  const out = `${run.stdout}${run.stderr}`;
  timings.push(
    `${`npm ${args.join(' ')}`.padEnd(40)} ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  exit ${run.status}`,
  );
  return { code: run.status ?? 1, out };
}

const generated = step(['run', 'generate']);
const diff = step(['run', '--silent', 'spec:diff', '--', '--base', 'HEAD']);
const test = step(['test']);
const total = (Date.now() - started) / 1000;
const counts = /Tests\s+(.*)\n/.exec(stripVTControlCharacters(test.out))?.[1]?.trim() ?? '(no count)';

console.log(diff.out.trim());
console.log(
  `\n${timings.join('\n')}\n${'edit → green'.padEnd(40)} ${total.toFixed(1).padStart(6)} s\nnpm test: ${counts}`,
);
const ok = generated.code === 0 && diff.code === 0 && /consumers: minor/.test(diff.out) && test.code === 0;
if (!ok) console.log(`\nNOT GREEN. npm test's output ends:\n${test.out.slice(-6000)}`);
if (keep) console.log(`clone kept: ${clone}`);
else rmSync(clone, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
