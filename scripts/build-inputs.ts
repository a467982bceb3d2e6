// What scripts/build.ts reads, as one hash: the build records it in dist/.build-inputs, so a script
// that needs dist/ (npm run example) builds only when dist/ is missing or was built from other inputs.
// A hash of the contents, not mtimes: a checkout, a stash or a copy cannot make a stale dist/ look current.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const BUILD_INPUTS_FILE = join(root, 'dist', '.build-inputs');

/** Folders the build compiles or copies (tests excluded, as in tsconfig.build.json) and the files that steer it. */
const FOLDERS = ['src', 'generated', 'twin'];
const FILES = [
  'package.json',
  'package-lock.json', // the compiler's and bundler's versions
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/build.ts',
  'scripts/build-inputs.ts',
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

export function buildInputsHash(): string {
  const hash = createHash('sha256');
  const files = [...FOLDERS.flatMap((folder) => walk(join(root, folder))), ...FILES.map((f) => join(root, f))];
  for (const file of files.sort()) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '(missing)');
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ was built by scripts/build.ts from exactly the current inputs. */
export function buildIsCurrent(): boolean {
  return existsSync(BUILD_INPUTS_FILE) && readFileSync(BUILD_INPUTS_FILE, 'utf8').trim() === buildInputsHash();
}
