// The layers point one way (ARCHITECTURE.md): each folder may import only the folders below it, the
// shipped client (src/ without its tests) only itself and generated/, and src/ has no import cycle.
// Walks every relative import of every TypeScript file, so a new edge the wrong way fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What each top-level folder may import (besides itself and packages). */
const ALLOWED: Record<string, string[]> = {
  generated: [],
  'spec-kit': [],
  // The drift check's HTTP vocabulary: the exchange, the share token as read, the two paths (typed from generated/).
  'http-kit': ['generated'],
  src: ['generated'],
  // The twin reads the spec through generated/ (its request validators, its documented fields): one
  // source of the rules, so a new request rule is enforced by the twin at once (twin/spec-rules.ts).
  twin: ['generated'],
  'test-support': ['src', 'generated', 'twin', 'spec-kit', 'http-kit'],
  scripts: ['spec-kit', 'generated', 'src', 'twin', 'test-support'],
  'contract-tests': ['spec-kit', 'generated', 'src', 'twin', 'scripts', 'test-support', 'http-kit'],
  bench: ['src', 'generated'],
  examples: [],
};
/** Tests of the client and of the twin may use the test-support kit, the HTTP kit and the spec toolkit; the shipped files may not. */
const TESTS_MAY_ALSO = ['spec-kit', 'test-support', 'http-kit'];
/**
 * Edges allowed as `import type` / `export type` only (erased from the build): the twin names the drift
 * report's FindingKind, owned beside DriftFinding in the shipped findings, without pulling src/ at runtime.
 */
const TYPE_ONLY: Record<string, string[]> = { twin: ['src/drift-findings.ts'] };
const SHIPPED = ['src', 'twin'];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|cts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file, as paths from the root, and whether the statement is type-only. */
function importsOf(file: string): { to: string; typeOnly: boolean }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => {
    const start = Math.max(text.lastIndexOf('\nimport', m.index), text.lastIndexOf('\nexport', m.index), 0);
    return {
      to: relative(ROOT, resolve(ROOT, dirname(file), m[1]!)),
      typeOnly: /^\s*(?:import|export) type\s/.test(text.slice(start, m.index)),
    };
  });
}

const top = (path: string) => path.split('/')[0]!;
const edges = Object.keys(ALLOWED).flatMap((dir) =>
  files(dir).flatMap((file) => importsOf(file).map(({ to, typeOnly }) => ({ file, to, typeOnly }))),
);
const typeOnlyAllowed = (dir: string, to: string, typeOnly: boolean) =>
  typeOnly && (TYPE_ONLY[dir] ?? []).includes(to.replace(/\.js$/, '.ts'));

describe('import direction', () => {
  it('sees the files it judges (the walk is not empty)', () => {
    expect(edges.filter((e) => top(e.file) === 'contract-tests').length).toBeGreaterThan(20);
  });

  it.each(Object.keys(ALLOWED))('%s/ imports only the layers below it', (dir) => {
    const wrong = edges.filter(({ file, to, typeOnly }) => {
      if (top(file) !== dir || top(to) === dir) return false;
      const testOfShipped = SHIPPED.includes(dir) && /\.test\.ts$/.test(file);
      return (
        !ALLOWED[dir]!.includes(top(to)) &&
        !(testOfShipped && TESTS_MAY_ALSO.includes(top(to))) &&
        !typeOnlyAllowed(dir, to, typeOnly)
      );
    });
    expect(wrong.map((e) => `${e.file} → ${e.to}`)).toEqual([]);
  });

  it('the type-only edges are used, and only as types (a value import the same way fails)', () => {
    const used = edges.filter(({ file, to, typeOnly }) => typeOnlyAllowed(top(file), to, typeOnly));
    expect(used.map((e) => e.to.replace(/\.js$/, '.ts')).sort()).toEqual(Object.values(TYPE_ONLY).flat().sort());
    expect(typeOnlyAllowed('twin', 'src/drift-findings.js', false)).toBe(false);
  });

  it('the twin as shipped (didit-share/testing) bundles nothing of src/', async () => {
    const { metafile } = await build({
      entryPoints: [join(ROOT, 'twin/index.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((path) => path.startsWith('twin/'))).toBe(true);
    expect(inputs.filter((path) => !path.startsWith('twin/') && !path.startsWith('generated/'))).toEqual([]);
  });

  it("the drift check's production path (npm run drift, npm run calibrate) reaches nothing of test-support/", () => {
    const next = new Map<string, string[]>();
    for (const { file, to } of edges) next.set(file, [...(next.get(file) ?? []), to.replace(/\.js$/, '.ts')]);
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const to of next.get(file) ?? []) visit(to);
    };
    for (const cli of ['contract-tests/drift.ts', 'contract-tests/calibrate.ts']) visit(cli);
    expect([...reached].some((file) => top(file) === 'http-kit')).toBe(true);
    expect([...reached].filter((file) => top(file) === 'test-support')).toEqual([]);
  });

  it('the shipped client has no import cycle', () => {
    const shipped = edges.filter((e) => top(e.file) === 'src' && top(e.to) === 'src' && !e.file.endsWith('.test.ts'));
    const next = new Map<string, string[]>();
    for (const { file, to } of shipped) next.set(file, [...(next.get(file) ?? []), to.replace(/\.js$/, '.ts')]);
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) return void cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      for (const to of next.get(file) ?? []) visit(to, [...path, file]);
    };
    for (const file of next.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
