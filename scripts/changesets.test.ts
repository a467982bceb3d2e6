// Every pending changeset is one `changeset version` can apply: front matter naming this package with
// a bump, then a summary for CHANGELOG.md. A typo here would only surface in the release workflow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const { name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
const changesets = readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');

/** What is wrong with one changeset's text, or nothing. */
function changesetProblems(text: string, pkg: string): string[] {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) return ['no front matter between --- lines'];
  const releases = match[1]!.split('\n').filter((line) => line.trim());
  const problems = releases
    .filter((line) => !new RegExp(`^["']?${pkg}["']?: (patch|minor|major)$`).test(line.trim()))
    .map((line) => `${line.trim()}: expected "${pkg}": patch | minor | major`);
  if (!match[2]!.trim()) problems.push('no summary for the changelog');
  return problems;
}

it.each([
  ['---\n"didit-share": minor\n---\n\nA feature.\n', []],
  ['---\ndidit-share: patch\n---\nA fix.', []],
  [
    '---\n"didit-shar": minor\n---\n\nA typo.\n',
    ['"didit-shar": minor: expected "didit-share": patch | minor | major'],
  ],
  [
    '---\n"didit-share": feature\n---\n\nA bump that is none.\n',
    ['"didit-share": feature: expected "didit-share": patch | minor | major'],
  ],
  ['---\n"didit-share": patch\n---\n\n', ['no summary for the changelog']],
  ['A changeset without front matter.\n', ['no front matter between --- lines']],
])('changesetProblems(%j)', (text, problems) => {
  expect(changesetProblems(text, 'didit-share')).toEqual(problems);
});

it('every pending changeset in .changeset/ applies to this package', () => {
  const problems = changesets.flatMap((file) =>
    changesetProblems(readFileSync(join(root, '.changeset', file), 'utf8'), name).map((p) => `${file}: ${p}`),
  );
  expect(problems).toEqual([]);
});
