// Starts Prism (the CLI's own bin, not npx: ~1.4 s to ready instead of ~4.7 s) on a free loopback
// port, waits for its "Prism is listening" line (it has no readiness endpoint), and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { SPEC_PATH } from './spec.js';

const require = createRequire(import.meta.url);
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');
const READY = /Prism is listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 90_000;

export interface PrismProcess {
  baseUrl: string;
  /** Everything Prism printed, for a failure message. */
  output(): string;
  stop(): Promise<void>;
  /** Sends the stop signal at once, for a process that is about to exit (a signal handler). */
  kill(): void;
}

export type PrismOptions =
  | { mode: 'mock'; specPath?: string }
  /** `prism proxy --errors`: forwards to `upstream` and fails any exchange the spec does not allow. */
  | { mode: 'proxy'; upstream: string; specPath?: string };

/** A port the OS says is free now (Prism cannot listen on port 0 and report it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}

export async function startPrism(options: PrismOptions = { mode: 'mock' }): Promise<PrismProcess> {
  const port = await freePort();
  const specPath = options.specPath ?? SPEC_PATH;
  const args =
    options.mode === 'mock'
      ? ['mock', specPath]
      : // Request validation off: the suite's deliberately invalid requests must reach the service.
        ['proxy', specPath, options.upstream, '--errors', '--validate-request=false'];
  const child = spawn(process.execPath, [PRISM_BIN, ...args, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const ready = waitForPrism(child);
  const baseUrl = await ready.baseUrl;
  return { baseUrl, output: ready.output, stop: () => stopChild(child), kill: () => void child.kill('SIGTERM') };
}

/** Resolves with the base URL once a Prism child prints its ready line; rejects (and kills it) otherwise. */
export function waitForPrism(child: ChildProcess): { baseUrl: Promise<string>; output: () => string } {
  let output = '';
  const baseUrl = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`Prism did not print "Prism is listening" within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    function fail(message: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${message}.\nPrism said:\n${output.slice(-2000)}`));
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => fail(`Prism could not be started: ${error.message}`));
    child.once('exit', (code) => fail(`Prism exited (code ${code}) before it was listening`));
  });
  return { baseUrl, output: () => output };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
