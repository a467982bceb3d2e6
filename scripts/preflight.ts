// The checks `npm test` runs before vitest, side by side instead of one after another: lint alongside
// build, and typecheck after build (examples/ imports the package itself, whose types are the build's).
// Each step's output is printed whole when it ends; the exit code is 1 if any step failed. The spec lint
// and the staleness check of generated/ are tests (scripts/redocly.slow.test.ts runs `npm run lint:spec`,
// scripts/generated.slow.test.ts the check:generated comparison): run here too, they were the same work twice.
//
// Each step is its package.json script, run as `npm run` runs it (sh, node_modules/.bin first on the
// PATH) but without starting npm for each. The build skips its own type check (`--no-check`: the
// same files, emitted unchecked; tsc still fails on a declaration it cannot emit): typecheck checks
// all of them, and more, right after it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const PATH = [join(root, 'node_modules/.bin'), process.env.PATH].filter(Boolean).join(delimiter);

/** A package.json script, with extra arguments; resolves with whether it passed, its output printed as one block. */
function run(script: string, ...args: string[]): Promise<boolean> {
  const command = [scripts[script], ...args].join(' ');
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], {
      cwd: root,
      env: { ...process.env, PATH, npm_lifecycle_event: script },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => {
      if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
      if (code !== 0) console.error(`npm run ${script} failed (exit ${code}): ${command}`);
      resolve(code === 0);
    });
  });
}

const passed = await Promise.all([run('lint'), run('build', '--no-check').then((built) => built && run('typecheck'))]);
process.exit(passed.every(Boolean) ? 0 : 1);
