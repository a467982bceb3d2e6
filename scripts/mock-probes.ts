// What the mock's tests (mock.slow.test.ts, mock-lifecycle.slow.test.ts) ask of a stopped or running mock.
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Prism's pid, from the mock's ready line ("mock of spec/openapi.yaml (Prism pid N)"), if printed yet. */
export function prismPidIn(stdout: string): number | undefined {
  const pid = /Prism pid (\d+)/.exec(stdout)?.[1];
  return pid ? Number(pid) : undefined;
}

/** Whether a process exists (zombies are reaped once their parent is gone, so wait a little). */
export async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < withinMs; await sleep(100)) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
  }
  return false;
}

export async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  const [outcome] = await Promise.race([
    once(server, 'listening').then(() => ['free']),
    once(server, 'error').then(() => ['busy']),
  ]);
  if (outcome === 'free') server.close();
  return outcome === 'free';
}

export async function answers(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/v3/session/import-shared/`, { method: 'POST' }).catch(
    () => undefined,
  );
  return response !== undefined;
}
