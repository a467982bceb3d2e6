// The user docs as a reader meets them: every page reachable from the README by links that resolve,
// the README short, and every TypeScript block fenced so the packaging test compiles it or says why not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec-kit/spec.js';
import { unsettledFacts } from '../spec-kit/unsettled.js';
import { anchorOf, anchorsOf, docSnippets, linksOf, snippetsOf, userDocs, walkLinks } from './doc-snippets.js';

const root = new URL('..', import.meta.url).pathname;
const fenced = (info: string, code = 'const x = 1;') => `text\n\n\`\`\`${info}\n${code}\n\`\`\`\n`;

describe('snippetsOf', () => {
  it.each([
    ['ts', true],
    ['ts not-compiled', false],
  ])('```%s is a block, compiled: %s', (info, compiled) => {
    expect(snippetsOf('x.md', fenced(info))).toEqual([{ file: 'x.md', line: 3, code: 'const x = 1;', compiled }]);
  });

  it.each(['typescript', 'tsx', 'TS', 'ts skip', 'ts nocompile', 'mts'])(
    '```%s is refused, naming the file and line and both fences that work',
    (info) => {
      expect(() => snippetsOf('x.md', fenced(info))).toThrow(
        /^x\.md:3: a TypeScript block fenced .*```ts \(compiled against the package\) or ```ts not-compiled/,
      );
    },
  );

  it.each(['sh', 'json', '', 'yaml'])('```%s is not TypeScript', (info) => {
    expect(snippetsOf('x.md', fenced(info))).toEqual([]);
  });

  it('a block ends at its own closing fence, so a ts fence inside another block is not one', () => {
    const text = `${fenced('md', '```ts\nnot code')}${fenced('ts', 'a;\nb;')}`;
    expect(snippetsOf('x.md', text).map((s) => s.code)).toEqual(['a;\nb;']);
  });
});

describe('links and anchors', () => {
  it.each([
    ['Testing your integration', 'testing-your-integration'],
    ['`didit-share/testing` options', 'didit-sharetesting-options'],
    ['Errors, retries & options', 'errors-retries--options'],
    ['How we know the suite can fail', 'how-we-know-the-suite-can-fail'],
  ])('the anchor of %j is %j', (heading, anchor) => {
    expect(anchorOf(heading)).toBe(anchor);
  });

  it('repeated headings get numbered anchors; headings in code blocks are none', () => {
    expect([...anchorsOf('# A\n## A\n```sh\n# not a heading\n```\n### B')]).toEqual(['a', 'a-1', 'b']);
  });

  it('relative links only, outside code, with their anchor', () => {
    const text = '[a](docs/x.md#y) [b](https://e.org) `[c](no.md)` [d](#here)\n```\n[e](no.md)\n```';
    expect(linksOf(text)).toEqual([
      { path: 'docs/x.md', anchor: 'y' },
      { path: '', anchor: 'here' },
    ]);
  });
});

describe('the docs of this repository', () => {
  const { reached, broken } = walkLinks(root);

  it('every link from the README on resolves to a file and a heading', () => {
    expect(broken).toEqual([]);
  });

  it('every docs page, CONTRIBUTING, SECURITY, ARCHITECTURE and bench/README are reachable from the README', () => {
    const pages = [...userDocs(root), 'CONTRIBUTING.md', 'SECURITY.md', 'ARCHITECTURE.md', 'bench/README.md'];
    expect(pages.filter((page) => !reached.has(page))).toEqual([]);
  });

  it('the README stays short', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });

  it('every TypeScript block is fenced ```ts or ```ts not-compiled, and most are compiled', () => {
    const snippets = docSnippets(root);
    expect(snippets.filter((s) => s.compiled).length).toBeGreaterThan(snippets.length / 2);
  });
});

describe("the drift check's variables", () => {
  const names = (text: string) => new Set(text.match(/\bDIDIT_[A-Z_]+\b/g));
  const table = readFileSync(join(root, 'docs/drift-check.md'), 'utf8').split('## Variables')[1]!.split('\n## ')[0]!;
  const workflow = readFileSync(join(root, '.github/workflows/drift.yml'), 'utf8');

  it('the nightly workflow passes every variable docs/drift-check.md documents, and no other', () => {
    expect([...names(workflow)].sort()).toEqual([...names(table)].sort());
  });
});

describe('the unsettled facts', () => {
  const page = readFileSync(join(root, 'docs/calibration.md'), 'utf8')
    .split('## Unsettled facts')[1]!
    .split('\n## ')[0]!;
  const listed = new Set(
    [...page.matchAll(/^\| (.+?) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((id) => id[1]!)),
  );

  it('docs/calibration.md lists every x-unsettled fact of the spec, and no other', () => {
    const ids = unsettledFacts(loadSpec()).map((f) => f.id);
    expect([...listed].sort()).toEqual(ids.sort());
  });
});
