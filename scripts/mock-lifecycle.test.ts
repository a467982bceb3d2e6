// `npm run mock` stops when told to and never leaves Prism behind: a signal to its pid (or npm's),
// even SIGKILL, frees the port and ends Prism; a busy port is one clear line, before Prism starts.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../spec-kit/prism.js';

const root = new URL('..', import.meta.url).pathname;
const TIMEOUT_MS = 120_000; // Prism alone may take 30 s to start on a loaded box

function startMock(port: number, via: 'node' | 'npm' = 'node') {
  const [file, args] =
    via === 'npm' ? ['npm', ['run', '--silent', 'mock']] : [process.execPath, ['--import', 'tsx', 'scripts/mock.ts']];
  const child = spawn(file, args as string[], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  /** Prism's pid, once the mock says it is ready. */
  const prismPid = (async () => {
    for (;;) {
      const pid = /Prism pid (\d+)/.exec(stdout)?.[1];
      if (pid) return Number(pid);
      const done = await Promise.race([exited.then(() => true), sleep(50).then(() => false)]);
      if (done) throw new Error(`the mock exited before it was ready:\n${stdout}\n${stderr}`);
    }
  })();
  prismPid.catch(() => undefined); // awaited by the tests that expect a ready mock only
  return { child, exited, prismPid, output: () => ({ stdout, stderr }) };
}

/** Whether a process exists (zombies are reaped once their parent is gone, so wait a little). */
async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < withinMs; await sleep(100)) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  const [outcome] = await Promise.race([
    once(server, 'listening').then(() => ['free']),
    once(server, 'error').then(() => ['busy']),
  ]);
  if (outcome === 'free') server.close();
  return outcome === 'free';
}

async function answers(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/v3/session/import-shared/`, { method: 'POST' }).catch(
    () => undefined,
  );
  return response !== undefined;
}

describe('npm run mock lifecycle', () => {
  it.each([
    ['SIGINT to the mock', 'node', 'SIGINT'],
    ["SIGTERM to npm run mock's pid", 'npm', 'SIGTERM'],
  ] as const)(
    '%s stops Prism and frees the port',
    async (_what, via, signal) => {
      const port = await freePort();
      const mock = startMock(port, via);
      const prism = await mock.prismPid;
      expect(await answers(port)).toBe(true);

      mock.child.kill(signal);
      const [code] = await mock.exited;
      expect(code, 'a requested stop exits 0').toBe(0);
      expect(await gone(prism), `Prism (pid ${prism}) still runs`).toBe(true);
      expect(await portIsFree(port)).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    'SIGKILL to the mock: Prism notices and exits too',
    async () => {
      const port = await freePort();
      const mock = startMock(port);
      const prism = await mock.prismPid;
      mock.child.kill('SIGKILL');
      await mock.exited;
      expect(await gone(prism), `Prism (pid ${prism}) outlived the mock`).toBe(true);
      expect(await portIsFree(port)).toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    'a busy port is one line naming the port and PORT=, and a nonzero exit, before Prism starts',
    async () => {
      const port = await freePort();
      const holder = createServer().listen(port, '127.0.0.1');
      await once(holder, 'listening');
      try {
        const mock = startMock(port);
        const [code] = await mock.exited;
        const { stdout, stderr } = mock.output();
        expect(code).not.toBe(0);
        expect(stdout).toBe('');
        const lines = stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`port ${port}`);
        expect(lines[0]).toContain('PORT=');
      } finally {
        holder.close();
      }
    },
    TIMEOUT_MS,
  );
});
