// The checks `npm test` runs before vitest, side by side instead of one after another: lint,
// lint:spec and check:generated alongside build, and typecheck after build (examples/ imports
// the package itself, whose types are the build's). Each step's output is printed whole when it ends;
// the exit code is 1 if any step failed.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

/** `npm run --silent <script>`; resolves with whether it passed, its output printed as one block. */
function run(script: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => {
      if (output.trim()) process.stdout.write(`${output.trimEnd()}\n`);
      if (code !== 0) console.error(`npm run ${script} failed (exit ${code})`);
      resolve(code === 0);
    });
  });
}

const chain = async (...scripts: string[]) => {
  for (const script of scripts) if (!(await run(script))) return false;
  return true;
};

const passed = await Promise.all([run('lint'), run('lint:spec'), run('check:generated'), chain('build', 'typecheck')]);
process.exit(passed.every(Boolean) ? 0 : 1);
