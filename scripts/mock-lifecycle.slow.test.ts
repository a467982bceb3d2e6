// `npm run mock` stops when told to and never leaves Prism behind: a signal to its pid, even SIGKILL,
// frees the port and ends Prism; a busy port is one clear line, before Prism starts. A signal to npm's
// pid is tested in mock.slow.test.ts, on the mock it has asked its questions of (one Prism start fewer).
// The cases are independent (each its own port and processes), so they run side by side.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { freePort } from '../spec-kit/prism.js';
import { answers, gone, portIsFree, prismPidIn } from './mock-probes.js';

const root = new URL('..', import.meta.url).pathname;
const TIMEOUT_MS = 120_000; // Prism alone may take 30 s to start on a loaded box

function startMock(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mock.ts'], {
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
      const pid = prismPidIn(stdout);
      if (pid) return pid;
      const done = await Promise.race([exited.then(() => true), sleep(50).then(() => false)]);
      if (done) throw new Error(`the mock exited before it was ready:\n${stdout}\n${stderr}`);
    }
  })();
  prismPid.catch(() => undefined); // awaited by the tests that expect a ready mock only
  return { child, exited, prismPid, output: () => ({ stdout, stderr }) };
}

/** Whether something accepts TCP connections on the port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe.concurrent('npm run mock lifecycle', () => {
  it(
    'a connection made before Prism is ready is held, then answered by Prism (never a 502)',
    async () => {
      const port = await freePort();
      const mock = startMock(port);
      try {
        // The port is taken at once; Prism needs seconds more.
        while (!(await accepts(port))) await sleep(20);
        const early = prismPidIn(mock.output().stdout) === undefined;
        const response = await fetch(`http://127.0.0.1:${port}/v3/session/import-shared/`, { method: 'POST' });
        expect(early, 'the request went out before the mock said it was ready').toBe(true);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
      } finally {
        mock.child.kill('SIGTERM');
        await mock.exited;
      }
    },
    TIMEOUT_MS,
  );

  it(
    'SIGINT to the mock stops Prism and frees the port',
    async () => {
      const port = await freePort();
      const mock = startMock(port);
      const prism = await mock.prismPid;
      expect(await answers(port)).toBe(true);

      mock.child.kill('SIGINT');
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
