// The user docs' TypeScript blocks and links. scripts/packaging.slow.test.ts compiles every ```ts block of
// README.md and docs/*.md against the packed package. A block that must not compile (it imports the
// reader's own modules) says so in its fence: ```ts not-compiled. Any other TypeScript fence is refused,
// so no block escapes compilation by a spelling.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** The fence info that keeps a block out of compilation. */
export const NOT_COMPILED = 'ts not-compiled';

export interface Snippet {
  /** The file, relative to the root. */
  file: string;
  /** The line of the opening fence, from 1. */
  line: number;
  code: string;
  compiled: boolean;
}

/** README.md and every page of docs/: the files whose TypeScript users copy. */
export function userDocs(root: string): string[] {
  const docs = join(root, 'docs');
  const pages = existsSync(docs) ? readdirSync(docs).filter((f) => f.endsWith('.md')) : [];
  return ['README.md', ...pages.sort().map((f) => `docs/${f}`)];
}

const FENCE = /^```(.*)$/;
const TYPESCRIPT = /^(?:ts|typescript|tsx|mts|cts)\b/i;

/** Every fenced TypeScript block of one markdown text; throws naming the line of a fence it does not know. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const info = FENCE.exec(lines[i]!)?.[1]?.trim();
    if (info === undefined) continue;
    const start = i;
    while (++i < lines.length && lines[i] !== '```');
    if (!TYPESCRIPT.test(info)) continue;
    if (info !== 'ts' && info !== NOT_COMPILED)
      throw new Error(
        `${file}:${start + 1}: a TypeScript block fenced \`\`\`${info}. Fence it \`\`\`ts (compiled against the package) or \`\`\`${NOT_COMPILED} (when it cannot compile, saying why above it)`,
      );
    snippets.push({ file, line: start + 1, code: lines.slice(start + 1, i).join('\n'), compiled: info === 'ts' });
  }
  return snippets;
}

/** Every TypeScript block of the user docs, in order. */
export function docSnippets(root: string): Snippet[] {
  return userDocs(root).flatMap((file) => snippetsOf(file, readFileSync(join(root, file), 'utf8')));
}

/** The block's file in the consumer project, named for where it is: `snippets/docs-testing-line42.mts`. */
export function snippetPath(snippet: Snippet): string {
  return `snippets/${snippet.file.replace(/\.md$/, '').replaceAll('/', '-')}-line${snippet.line}.mts`;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a markdown text's headings (outside code blocks); repeated headings get -1, -2… */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? undefined : /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = anchorOf(heading);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** The relative links of a markdown text outside code: `[text](target)`, split into path and anchor. */
export function linksOf(text: string): { path: string; anchor: string | undefined }[] {
  const prose = text.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => {
      const [path = '', anchor] = target.split('#');
      return { path, anchor };
    });
}

/**
 * Walks the relative links from README.md: the markdown files reached, and each link whose file or
 * heading does not exist (`file: target`).
 */
export function walkLinks(root: string): { reached: Set<string>; broken: string[] } {
  const reached = new Set<string>();
  const broken: string[] = [];
  const queue = ['README.md'];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (reached.has(file)) continue;
    reached.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const { path, anchor } of linksOf(text)) {
      const target = path === '' ? file : normalize(join(dirname(file), path));
      if (!existsSync(join(root, target))) {
        broken.push(`${file}: ${path}${anchor ? `#${anchor}` : ''} (no such file)`);
        continue;
      }
      if (!target.endsWith('.md')) continue;
      if (anchor !== undefined && !anchorsOf(readFileSync(join(root, target), 'utf8')).has(anchor))
        broken.push(`${file}: ${path}#${anchor} (no such heading in ${target})`);
      queue.push(target);
    }
  }
  return { reached, broken };
}
