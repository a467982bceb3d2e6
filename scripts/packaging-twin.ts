// The consumer test of `didit-share/testing`, in scripts/packaging.slow.test.ts's throwaway project (one
// pack, one install): the programs it runs, what they must report, and the shell it runs them with.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MUTANT_IDS } from '../twin/mutants.js';

/** The ESM consumer (compiled by the nodenext run, with the docs' snippets) and the CommonJS one. */
export function twinConsumerFiles(root: string): Record<string, string> {
  const fixture = (name: string) => readFileSync(join(root, 'scripts/fixtures', name), 'utf8');
  return { 'twin/consumer.mts': fixture('twin-consumer.mts'), 'twin/consumer.cjs': fixture('twin-consumer.cjs') };
}

/**
 * The docs' twin examples import vitest, and are compiled like every docs
 * snippet: the repository's vitest is linked rather than installed (one install only).
 */
export function linkVitest(root: string, consumer: string): void {
  symlinkSync(join(root, 'node_modules/vitest'), join(consumer, 'node_modules/vitest'), 'dir');
}

/** What twin/consumer.mts observes when the twin and the client behave as the spec says. */
export const TWIN_ESM_REPORT = {
  decoded: { sessionId: true, from: true, for: true, kind: 'user', ttl: 600 },
  sourceRedeemsPartnerToken: 'DiditPermissionDeniedError 403',
  imported: { status: 'In Review', sharedFrom: true },
  secondImport: 'DiditPermissionDeniedError 403',
  readonlyKey: 'DiditPermissionDeniedError 403',
  unfinished: 'DiditBadRequestError 400',
  retried503: { attempts: 3, kind: 'user' },
  throttledKybImport: { attempts: 2, waitedRetryAfter: true, kind: 'business' },
  portFreed: true,
};

/** What twin/consumer.cjs observes. */
export const TWIN_CJS_REPORT = {
  failed: 503,
  mutated: true,
  keyless: 403,
  dialects: ['classic', 'current', 'openapi'],
  mutants: MUTANT_IDS.length,
};

/** What of the twin shows in the client's builds under `dist`: nothing, or the twin reached the main entry. */
export function twinTraces(dist: string): string[] {
  const esm = readdirSync(join(dist, 'src')).filter((f) =>
    /from '\.\.\/twin\//.test(readFileSync(join(dist, 'src', f), 'utf8')),
  );
  const cjs =
    readFileSync(join(dist, 'cjs/src/index.cjs'), 'utf8').match(/node:http|startTwin|Request was throttled/g) ?? [];
  return [...esm.map((f) => `dist/src/${f} imports the twin`), ...cjs.map((m) => `dist/cjs/src/index.cjs holds ${m}`)];
}

const run = promisify(execFile);

/** Runs a command; on failure the error carries its output, so the test says what went wrong. */
export async function sh(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(file, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      maxBuffer: 32 << 20,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`);
  }
}
