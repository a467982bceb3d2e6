// The package as users get it: a clean copy of the sources is packed (npm runs `prepare`, which
// builds, so an unbuilt clone still ships dist/), the tarball is installed into a throwaway project,
// and that project imports it from ESM and CommonJS, compiles it under every TypeScript module
// resolution users have (strict, exactOptionalPropertyTypes, skipLibCheck off) and runs the output.
// publint and are-the-types-wrong must find nothing; every ```ts block of README.md and docs/ must compile
// (scripts/doc-snippets.ts: a block fenced ```ts not-compiled is left out).
// The same install runs the consumer test of `didit-share/testing`: the real client driving the twin.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec-kit/spec.js';
import { firstExample } from '../spec-kit/spec-examples.js';
import { docSnippets, snippetPath } from './doc-snippets.js';
import { type ConsumerReport, jsConsumer, tsConsumer, tsconfig } from './packaging-consumers.js';
import { linkVitest, sh, TWIN_CJS_REPORT, TWIN_ESM_REPORT, twinConsumerFiles, twinTraces } from './packaging-twin.js';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const ATTW = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
// Packing builds (tsc + esbuild) and installing resolves two dependencies, on a box other test
// processes keep busy: generous, but finite.
const SETUP_TIMEOUT_MS = 240_000;
const STEP_TIMEOUT_MS = 120_000;

const work = mkdtempSync(join(tmpdir(), 'didit-share-pack-'));
const consumer = join(work, 'consumer');
let tarball = '';
let packed: string[] = [];
// Started in beforeAll as soon as their inputs exist, awaited by the tests that judge them.
let attwRun: Promise<{ stdout: string }>;
let publintRun: ReturnType<typeof publint>;
let tscRun: Promise<Record<Project, string[]>>;

/** A step started ahead of the test that awaits it: its failure is that test's, never an unhandled rejection. */
function ahead<T>(step: Promise<T>): Promise<T> {
  step.catch(() => undefined);
  return step;
}

const PROJECTS = ['tsconfig.nodenext.json', 'tsconfig.node16.json', 'tsconfig.bundler.json'] as const;
type Project = (typeof PROJECTS)[number];

/**
 * The three consumer projects in one `tsc -b` (one process parses the libs and @types once: a third
 * of the CPU of three `tsc -p`), emitting despite errors like `tsc -p`. `--verbose` heads each project's
 * output with "Building project '…'", so each project's errors are told apart; a project that was not
 * built (a bad tsconfig), or a failed run that names no error, is an error with tsc's whole output.
 */
async function compileConsumers(): Promise<Record<Project, string[]>> {
  let failed = false;
  const output = await sh(process.execPath, [TSC, '-b', '--verbose', ...PROJECTS], consumer).then(
    ({ stdout }) => stdout,
    (e: Error) => {
      failed = true;
      return e.message;
    },
  );
  const errors: Partial<Record<Project, string[]>> = {};
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const building = /Building project '([^']+)'/.exec(line)?.[1];
    if (building) current = errors[PROJECTS.find((p) => building.endsWith(`/${p}`))!] = [];
    else if (/error TS\d+/.test(line)) (current ?? []).push(line);
  }
  // A failed run with no error of any project's (a crash mid-build) fails them all.
  const silent = failed && PROJECTS.every((p) => !errors[p]?.length);
  for (const project of PROJECTS) if (!errors[project] || silent) errors[project] = [`${project}:\n${output}`];
  return errors as Record<Project, string[]>;
}

/** Runs a consumer program and returns the JSON line it prints. */
async function runConsumer<T = ConsumerReport>(file: string): Promise<T> {
  const { stdout } = await sh(process.execPath, [file], consumer, { DIDIT_API_KEY: 'test-key' });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

const works = (format: 'esm' | 'cjs'): ConsumerReport => ({
  format,
  sessionKind: 'user',
  validationError: true,
  isDiditError: true,
});

beforeAll(async () => {
  // A clean copy: only what the build reads, node_modules shared (never dist/ from the working tree).
  const clone = join(work, 'clone');
  for (const path of [
    'package.json',
    'README.md',
    'LICENSE',
    'tsconfig.json',
    'tsconfig.build.json',
    'src',
    'generated',
    'twin',
    'scripts/build.ts',
    'scripts/build-inputs.ts',
  ])
    cpSync(join(root, path), join(clone, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  // Sources npm test has type-checked already (the preflight): the pack's build only emits them.
  const { stdout } = await sh('npm', ['pack', '--json', '--pack-destination', work], clone, {
    DIDIT_SHARE_BUILD_NO_CHECK: '1',
  });
  // npm prints the build's output before its JSON report.
  const [report] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, report.filename);
  packed = report.files.map((f) => f.path).sort();
  // attw and publint read only the tarball: they run while the consumer is installed and compiled.
  attwRun = ahead(sh(process.execPath, [ATTW, tarball, '--format', 'json'], work));
  publintRun = ahead(
    publint({ strict: true, level: 'suggestion', pack: { tarball: new Uint8Array(readFileSync(tarball)).buffer } }),
  );

  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], consumer);
  linkVitest(root, consumer);

  const answer = firstExample(loadSpec(), 'shareSession', 200);
  const snippets = docSnippets(root)
    .filter((s) => s.compiled)
    .map((s) => [snippetPath(s), s.code] as const);
  const files: Record<string, string> = {
    'esm.mjs': jsConsumer('esm', answer),
    'cjs.cjs': jsConsumer('cjs', answer),
    'ts.mts': tsConsumer(answer),
    'ts.cts': tsConsumer(answer),
    'bundler/ts.ts': tsConsumer(answer),
    'bundler/out/package.json': JSON.stringify({ type: 'module' }),
    // The docs' snippets are type-checked in the same run (they are never executed: they call Didit).
    ...Object.fromEntries(snippets),
    ...twinConsumerFiles(root),
    'tsconfig.nodenext.json': tsconfig(root, { module: 'nodenext', outDir: 'out-nodenext' }, [
      'ts.mts',
      'twin/consumer.mts',
      ...snippets.map(([path]) => path),
    ]),
    'tsconfig.node16.json': tsconfig(root, { module: 'node16', outDir: 'out-node16' }, ['ts.mts', 'ts.cts']),
    'tsconfig.bundler.json': tsconfig(root, { module: 'esnext', moduleResolution: 'bundler', outDir: 'bundler/out' }, [
      'bundler/ts.ts',
    ]),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(consumer, path, '..'), { recursive: true });
    writeFileSync(join(consumer, path), text);
  }
  tscRun = ahead(compileConsumers());
}, SETUP_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('the packed package', () => {
  it('ships the ESM and CommonJS builds of both entries with their types, the LICENSE and README, and no sources or tests', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/generated/validators.js',
        'dist/generated/schema.d.ts',
        'dist/cjs/src/index.cjs',
        'dist/cjs/src/index.d.cts',
        'dist/cjs/generated/schema.d.cts',
        'dist/twin/index.js',
        'dist/twin/index.d.ts',
        'dist/cjs/twin/index.cjs',
        'dist/cjs/twin/index.d.cts',
      ]),
    );
    expect(packed.filter((f) => !f.startsWith('dist/') || /\.test\.|\.ts$(?<!\.d\.ts)|test-support/.test(f))).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
  });

  it(
    'import works from an .mjs',
    async () => {
      expect(await runConsumer('esm.mjs')).toEqual(works('esm'));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'require() returns the client from a .cjs (the CommonJS build, no require(esm) needed)',
    async () => {
      expect(await runConsumer('cjs.cjs')).toEqual(works('cjs'));
      const { stdout } = await sh(process.execPath, ['-p', "require.resolve('didit-share')"], consumer);
      expect(stdout.trim()).toMatch(/dist\/cjs\/src\/index\.cjs$/);
    },
    STEP_TIMEOUT_MS,
  );

  // One tsc run for the three projects (nodenext: the consumer, the twin's consumer and the docs' snippets);
  // each test judges only the errors of its own project, in its own files.
  const tscErrors = async (project: Project, file = /^/) => (await tscRun)[project].filter((line) => file.test(line));

  it(
    'TypeScript with module nodenext compiles and runs',
    async () => {
      expect(await tscErrors('tsconfig.nodenext.json', /^ts\.mts/)).toEqual([]);
      expect(await runConsumer('out-nodenext/ts.mjs')).toEqual(works('esm'));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'TypeScript with module node16 compiles and runs, as CommonJS (.cts) and as ESM (.mts)',
    async () => {
      expect(await tscErrors('tsconfig.node16.json')).toEqual([]);
      expect(await runConsumer('out-node16/ts.cjs')).toEqual(works('cjs'));
      expect(await runConsumer('out-node16/ts.mjs')).toEqual(works('esm'));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'TypeScript with moduleResolution bundler compiles and runs',
    async () => {
      expect(await tscErrors('tsconfig.bundler.json')).toEqual([]);
      expect(await runConsumer('bundler/out/ts.js')).toEqual(works('esm'));
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'didit-share/testing from TypeScript: the real client drives the twin (share, decode, import In Review, second import 403, the source redeeming the partner token 403, read-only key 403, unfinished 400, 503 ×2 retried, 429 Retry-After 1 waited out on a KYB import, close() frees the port)',
    async () => {
      expect(await tscErrors('tsconfig.nodenext.json', /^twin\//)).toEqual([]);
      expect(await runConsumer<unknown>('out-nodenext/twin/consumer.mjs')).toEqual(TWIN_ESM_REPORT);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'didit-share/testing from require(): its own CommonJS bundle, options, failNext and the catalogue',
    async () => {
      expect(await runConsumer<unknown>('twin/consumer.cjs')).toEqual(TWIN_CJS_REPORT);
      const { stdout } = await sh(process.execPath, ['-p', "require.resolve('didit-share/testing')"], consumer);
      expect(stdout.trim()).toMatch(/dist\/cjs\/twin\/index\.cjs$/);
    },
    STEP_TIMEOUT_MS,
  );

  it("the client's builds hold nothing of the twin", () => {
    expect(twinTraces(join(consumer, 'node_modules/didit-share/dist'))).toEqual([]);
  });

  it(
    'every ```ts block of README.md and docs/ compiles on its own against the package',
    async () => {
      expect(docSnippets(root).filter((s) => s.compiled).length).toBeGreaterThan(1);
      expect(await tscErrors('tsconfig.nodenext.json', /^snippets\//)).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'publint finds nothing',
    async () => {
      const { messages, pkg } = await publintRun;
      expect(messages.map((m) => formatMessage(m, pkg))).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'are-the-types-wrong finds nothing under node10, node16 (CJS and ESM) and bundler',
    async () => {
      const { stdout } = await attwRun;
      const result = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
      expect(result.analysis.problems).toEqual([]);
    },
    STEP_TIMEOUT_MS,
  );
});
