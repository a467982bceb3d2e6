// Every exit 2 leaves a report saying why, replacing any earlier one: a run that never reached the
// suite (bad arguments, a variable of the wrong shape) as well as one the suite could not finish.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDriftCli } from './drift.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const CASES = [
  { name: 'an unknown --target', argv: ['--target', 'staging'], env: {}, says: '--target must be one of' },
  {
    name: 'a session id that is not a UUID',
    argv: ['--target', 'live'],
    env: {
      DIDIT_BASE_URL: 'http://127.0.0.1:9',
      DIDIT_API_KEY: 'k-early-report',
      DIDIT_SESSION_ID: 'not-a-uuid',
      DIDIT_FOR_APPLICATION_ID: '5dd3b5a9-69c5-4f86-be60-139e51190b55',
    },
    says: 'DIDIT_SESSION_ID',
  },
];

describe('a run that never reached the suite', () => {
  it.each(CASES)('$name: exit 2, and the report in --report-dir says why', async ({ argv, env, says }) => {
    const dir = mkdtempSync(join(tmpdir(), 'didit-share-early-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'drift-report.json'), '{"stale":true}');
    const errors: string[] = [];
    const code = await runDriftCli([...argv, '--report-dir', dir], {
      env,
      log: () => {},
      error: (line) => errors.push(line),
    });
    expect(code).toBe(2);
    expect(errors.join('\n')).toContain(says);
    const report = JSON.parse(readFileSync(join(dir, 'drift-report.json'), 'utf8'));
    expect(report.incomplete).toContain(says);
    expect(existsSync(join(dir, 'junit.xml'))).toBe(true);
    expect(JSON.stringify(report)).not.toContain('k-early-report');
  });
});
