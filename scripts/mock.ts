// npm run mock: the spec's Prism mock on http://127.0.0.1:${PORT:-4010}, as one process to stop.
//
// This process owns the port (a small HTTP front) and runs Prism 5.14.2 behind it on a free loopback
// port. Why not `prism mock` directly: npm, a shell and Prism's CLI sit between a user's `kill` and
// the listening socket, so stopping `npm run mock` by its pid could leave Prism holding the port, and
// the next run printed Prism's help and EADDRINUSE. Here:
//   - a busy port is found before Prism starts, and said in one line;
//   - SIGINT, SIGTERM and SIGHUP are forwarded to Prism, and this process exits when Prism does
//     (the npm script `exec`s node, so a signal to npm's pid reaches this process; if npm dies
//     without forwarding it, this process notices it was orphaned and stops);
//   - Prism exits when this process dies, however it dies (even SIGKILL): it is preloaded with
//     exit-with-parent.cjs, which watches the pipe this process holds open on its stdin;
//   - error answers derived from the request name what was wrong (mock-errors.ts), where Prism
//     would answer the spec's first error example whatever the request;
//   - the port is taken at once (a busy one is said before Prism starts), but a connection made
//     before Prism is ready is held until it is, then answered by Prism: a script that waits for the
//     port, then calls, gets Prism's answer, never a 502.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { freePort, waitForPrism } from '../spec-kit/prism.js';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { errorBody, parseViolations } from './mock-errors.js';

const HOST = '127.0.0.1';
const require = createRequire(import.meta.url);
const PRISM_BIN = require.resolve('@stoplight/prism-cli/dist/index.js');
const WATCHDOG = new URL('./exit-with-parent.cjs', import.meta.url).pathname;
const STOP_GRACE_MS = 5000;

const port = Number(process.env.PORT || 4010);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`mock: PORT must be a port number (1-65535), not "${process.env.PORT}"`);
  process.exit(1);
}

let prismPort = 0;

/** Passes the exchange through to Prism, replacing only the error bodies that contradict the request. */
function forward(req: IncomingMessage, res: ServerResponse) {
  const upstream = request(
    { host: HOST, port: prismPort, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      const status = answer.statusCode ?? 502;
      const replacement = errorBody(status, parseViolations(answer.headers['sl-violations']));
      if (!replacement) {
        res.writeHead(status, answer.headers);
        answer.pipe(res);
        return;
      }
      answer.resume();
      const body = JSON.stringify(replacement);
      const { 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = answer.headers;
      res.writeHead(status, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ detail: `mock: Prism did not answer (${error.message})` }));
  });
  req.pipe(upstream);
}

// Resolved once Prism is listening: requests that arrive earlier wait for it (their bodies buffered by Node).
let markReady = () => {};
const ready = new Promise<void>((resolve) => {
  markReady = resolve;
});
const front = createServer((req, res) => void ready.then(() => forward(req, res)));
front.on('error', (error: NodeJS.ErrnoException) => {
  const why =
    error.code === 'EADDRINUSE'
      ? `port ${port} on ${HOST} is already in use (a mock still running?): stop it, or choose another port, e.g. PORT=${port === 65535 ? 4011 : port + 1} npm run mock`
      : `cannot listen on ${HOST}:${port} (${error.code ?? error.message}); choose another port with PORT=`;
  console.error(`mock: ${why}`);
  process.exit(1);
});
front.listen(port, HOST, () => void start());

async function start() {
  prismPort = await freePort();
  const prism = spawn(
    process.execPath,
    ['--require', WATCHDOG, PRISM_BIN, 'mock', SPEC_PATH, '--host', HOST, '--port', String(prismPort)],
    {
      // stdin is the lifeline exit-with-parent.cjs watches; it is never written to.
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    },
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    prism.kill(signal);
    setTimeout(() => prism.kill('SIGKILL'), STOP_GRACE_MS).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
  process.on('exit', () => prism.kill('SIGKILL'));
  // Orphaned (npm killed with SIGKILL, the terminal gone): nobody is left to stop us, so stop.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop('SIGTERM'), 1000).unref();
  prism.on('exit', (code, signal) => {
    front.close();
    if (!stopping) console.error(`mock: Prism exited (${signal ?? `code ${code}`})`);
    // A requested stop is a success (no npm "lifecycle script failed" noise after Ctrl-C).
    process.exit(stopping ? 0 : code || 1);
  });

  try {
    await waitForPrism(prism).baseUrl;
    markReady();
  } catch (error) {
    console.error(`mock: ${(error as Error).message}`);
    process.exit(1);
  }
  // The harness's ready line, with this port: tools that wait for Prism keep working.
  console.log(`Prism is listening on http://${HOST}:${port}`);
  console.log(`  mock of spec/openapi.yaml (Prism pid ${prism.pid}); Ctrl-C stops it`);
  prism.stdout!.pipe(process.stdout);
  prism.stderr!.pipe(process.stderr);
}
