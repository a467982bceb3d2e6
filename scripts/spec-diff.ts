// npm run spec:diff -- [--base REF] [--head FILE] [--out DIR]: what the change of spec/openapi.yaml
// between REF (default: the merge base with main, else the last tag) and the working tree (or FILE)
// means for consumers of the generated types and the client. The rules of spec-compare.ts plus the
// TypeScript compiler's verdict (spec-types-verdict.ts); prints a markdown summary and writes it, with
// a changeset entry draft, to DIR (default reports/). Exit 1 when a change is major, 0 otherwise,
// 2 when it cannot compare (no such ref, no spec there, a document that does not parse).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { compare, type Level, levelOf, type SpecChange } from './spec-compare.js';
import { typesVerdict } from './spec-types-verdict.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEC = 'spec/openapi.yaml';
/** The package the changeset entry bumps. */
const PACKAGE = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

export class CannotCompare extends Error {}

const git = (args: string[]) =>
  execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });

/** The merge base with main, else the last tag: what a pull request is compared with. */
export function defaultBase(): string {
  for (const attempt of [() => git(['merge-base', 'HEAD', 'main']), () => git(['describe', '--tags', '--abbrev=0'])]) {
    try {
      const ref = attempt().trim();
      if (ref) return ref;
    } catch {}
  }
  throw new CannotCompare('no base to compare with: no branch main to merge-base with and no tag; pass --base REF');
}

function parsed(text: string, what: string): unknown {
  try {
    const doc: unknown = parse(text);
    if (doc && typeof doc === 'object' && 'paths' in doc) return doc;
  } catch {}
  throw new CannotCompare(`${what} is not an OpenAPI document (no paths, or it does not parse)`);
}

export function readBase(ref: string): unknown {
  let text: string;
  try {
    text = git(['show', `${ref}:${SPEC}`]);
  } catch {
    throw new CannotCompare(
      `cannot read ${SPEC} at ${ref}: is it a commit, branch or tag of this repository that has the spec?`,
    );
  }
  return parsed(text, `${SPEC} at ${ref}`);
}

export interface SpecDiff {
  level: Level | 'none';
  changes: SpecChange[];
  markdown: string;
  changeset: string;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const row = (c: SpecChange) => `| ${c.level} | ${cell(c.where)} | ${cell(c.what)} | ${cell(c.why)} |`;

/** The rules' changes and the compiler's, the level, the summary and the changeset draft. */
export async function specDiff(
  base: unknown,
  head: unknown,
  labels = { base: 'base', head: 'head' },
): Promise<SpecDiff> {
  const changes = [...(await typesVerdict(base, head)), ...compare(base, head)];
  const level = levelOf(changes);
  const order: Level[] = ['major', 'minor', 'patch'];
  const sorted = order.flatMap((l) => changes.filter((c) => c.level === l));
  const advice = {
    none: 'No change of the spec: nothing to release.',
    major: `**major**: code written against ${labels.base}'s types or requests breaks; release a major version.`,
    minor: '**minor**: additive; existing consumers keep working.',
    patch: '**patch**: documentation only (descriptions, examples, sources).',
  }[level];
  const markdown = [
    `## Spec change for consumers: ${level}`,
    '',
    `${SPEC} at \`${labels.base}\` → ${labels.head}. ${advice}`,
    ...(sorted.length > 0
      ? ['', '| level | where | what | why |', '| --- | --- | --- | --- |', ...sorted.map(row)]
      : []),
    '',
  ].join('\n');
  const bullets = sorted.filter((c) => c.level !== 'patch').map((c) => `- ${c.where}: ${c.what} (${c.why})`);
  const changeset =
    level === 'none'
      ? ''
      : [
          '---',
          `"${PACKAGE}": ${level}`,
          '---',
          '',
          `Spec (${SPEC}) ${level === 'patch' ? 'documentation edited' : 'changed'}:`,
          ...(bullets.length > 0 ? ['', ...bullets] : []),
          '',
        ].join('\n');
  return { level, changes: sorted, markdown, changeset };
}

export interface SpecDiffIo {
  log?: (text: string) => void;
  error?: (text: string) => void;
}

/** `npm run spec:diff -- …` short of exiting: resolves with the exit code. */
export async function runSpecDiffCli(argv: string[], io: SpecDiffIo = {}): Promise<number> {
  const log = io.log ?? console.log;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { base: { type: 'string' }, head: { type: 'string' }, out: { type: 'string', default: 'reports' } },
    });
    const ref = values.base ?? defaultBase();
    const headPath = resolve(values.head ?? join(ROOT, SPEC));
    const head = parsed(readFileSync(headPath, 'utf8'), relative(ROOT, headPath) || headPath);
    const result = await specDiff(readBase(ref), head, { base: ref, head: values.head ?? 'the working tree' });
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'spec-diff.md'), result.markdown);
    if (result.changeset) writeFileSync(join(values.out, 'spec-diff-changeset.md'), result.changeset);
    log(result.markdown);
    if (result.changeset)
      log(`Changeset entry draft: ${join(values.out, 'spec-diff-changeset.md')} (copy it into .changeset/).`);
    return result.level === 'major' ? 1 : 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    (io.error ?? console.error)(`spec:diff could not compare: ${message}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exit(await runSpecDiffCli(process.argv.slice(2)));
