// The drift check against targets that misbehave on purpose (all on loopback): every run is bounded,
// ends with exit 2 and a report saying why, and never writes a secret whole. Limits are made small
// through the CLI's options (--request-timeout, tiny Retry-Afters) instead of waiting out the defaults,
// and the deadline fires on an event (a request reaching the target), not on the clock. The runs go
// through the CLI's function in this process (each a run of its own); SIGTERM needs a process.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeadlineClock } from './drift.js';
import { type DriftRun, runDrift, runDriftIn } from './drift-run.js';
import { LANES } from './engine.js';

interface Target {
  baseUrl: string;
  posts: () => number;
  /** A deadline clock that fires when the first POST reaches the target. */
  firstPost: DeadlineClock;
  close(): Promise<void>;
}

/** A loopback server answering HEAD (the reachability probe) and handing every POST to `onPost`. */
async function serve(
  onPost: (req: IncomingMessage, res: ServerResponse) => void,
  { head = (): boolean => true } = {},
): Promise<Target> {
  let posts = 0;
  let onFirstPost = () => {};
  const server = createServer((req, res) => {
    if (req.method === 'HEAD') return head() ? res.end() : undefined; // undefined: never answers
    if (posts++ === 0) onFirstPost();
    req.resume();
    onPost(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    firstPost: (fire) => {
      onFirstPost = fire;
      return () => {
        onFirstPost = () => {};
      };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const KEY = `sk_test_${'canary'.repeat(8)}`;
const envFor = (baseUrl: string) => ({
  DIDIT_BASE_URL: baseUrl,
  DIDIT_API_KEY: KEY,
  DIDIT_SESSION_ID: randomUUID(),
  DIDIT_FOR_APPLICATION_ID: randomUUID(),
});

async function against(
  onPost: Parameters<typeof serve>[0],
  args: string[] = [],
  { deadlineAtFirstPost = false, ...options }: Parameters<typeof serve>[1] & { deadlineAtFirstPost?: boolean } = {},
) {
  const target = await serve(onPost, options);
  try {
    const run = await runDriftIn(['--target', 'live', ...args], envFor(target.baseUrl), {
      ...(deadlineAtFirstPost ? { deadlineClock: target.firstPost } : {}),
    });
    return { run, posts: target.posts(), target };
  } finally {
    await target.close();
  }
}

const written = (run: DriftRun) =>
  [
    run.output,
    ...['drift-report.json', 'drift-report.md', 'junit.xml'].map((f) => readFileSync(join(run.reportDir, f), 'utf8')),
  ].join('\n');

describe('a bounded run', () => {
  it('stops at the deadline, writes the partial report naming what was left, exits 2', async () => {
    // The deadline passes while the first check waits out a 30 s Retry-After: the run is under way.
    const { run } = await against(
      (_req, res) => res.writeHead(429, { 'retry-after': '30' }).end('{"detail":"throttled"}'),
      ['--deadline', '2'],
      { deadlineAtFirstPost: true },
    );
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/deadline \(2 s, --deadline\) passed[\s\S]*Not run: (share|import)\.\S+/);
  });

  it('ends the whole run at once when a throttle does not lift (not each check in turn)', async () => {
    const { run, posts } = await against((_req, res) => res.writeHead(429, { 'retry-after': '0' }).end());
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/stayed rate-limited \(429, Retry-After 0\)/);
    // The first check of each lane waits out three Retry-Afters (four tries each), then the run ends:
    // no other check starts.
    expect(posts).toBeLessThanOrEqual(4 * Object.keys(LANES).length);
  });

  it('backs a 429 without Retry-After off exponentially', async () => {
    const { run, posts } = await against((_req, res) => res.writeHead(429).end(), [], { deadlineAtFirstPost: true });
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/deadline \(600 s, --deadline\) passed/);
    // Backed off (~1 s, then ~2 s), each lane's first check has sent its first try when the deadline
    // stops the run, which ends its waits at once; without a wait its four tries go out at once.
    expect(posts).toBeLessThanOrEqual(Object.keys(LANES).length);
  });

  it('declares a target that stops answering down within seconds', async () => {
    let heads = 0;
    const { run } = await against(() => {}, ['--request-timeout', '0.2'], { head: () => ++heads === 1 });
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(
      /got no answer \(no answer within 200 ms\), and http:\/\/127\.0\.0\.1:\d+ does not answer at all .*: the target is down/,
    );
  });

  it('writes the partial report, "interrupted", on SIGTERM', async () => {
    const target = await serve(() => {});
    const run = await runDrift(['--target', 'live'], envFor(target.baseUrl), undefined, (child) => {
      const poll = setInterval(() => {
        if (target.posts() > 0) {
          clearInterval(poll);
          child.kill('SIGTERM');
        }
      }, 20);
    });
    await target.close();
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/interrupted by SIGTERM/);
  });
});

describe('honest "could not run"', () => {
  it('blames a truncated body on the target, not the suite', async () => {
    const { run, target } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.flushHeaders();
      res.write('{"share_to', () => setTimeout(() => res.socket?.destroy(), 50));
    });
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toContain(`the answer from ${target.baseUrl} could not be read`);
    expect(run.report?.incomplete).not.toContain('[object Object]');
    expect(run.report?.incomplete).not.toMatch(/suite itself failed/);
  });

  it('stops reading past the size cap instead of buffering a 200 MB answer', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const { run } = await against((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const pump = () => {
        while (sent < 200 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 200 * 1024 * 1024 && !res.destroyed) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(/answered more than 1048576 bytes \(the cap, --max-body\): stopped reading/);
  });

  it('names the Location of a redirecting base URL, and never sends the key there', async () => {
    const elsewhere = await serve((req, res) => res.end(String(req.headers['x-api-key'])));
    const { run } = await against((req, res) =>
      res.writeHead(301, { location: `${elsewhere.baseUrl}${req.url}` }).end(),
    );
    await elsewhere.close();
    expect(run.code, run.output).toBe(2);
    expect(run.report?.incomplete).toMatch(
      new RegExp(
        `redirected \\(301\\) to ${elsewhere.baseUrl}/v3/.*: set DIDIT_BASE_URL to ${elsewhere.baseUrl} \\(the key was not sent there\\)`,
      ),
    );
    expect(elsewhere.posts()).toBe(0);
  });

  it('refuses a password in DIDIT_BASE_URL without ever repeating it', async () => {
    const run = await runDriftIn(['--target', 'live'], {
      ...envFor('http://drift:canary-pass-4711@127.0.0.1:9'),
      DIDIT_API_KEY: KEY,
    });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/DIDIT_BASE_URL must not hold credentials/);
    expect(written(run)).not.toContain('canary-pass-4711');
    expect(written(run)).not.toMatch(/unreachable/);
  });
});
