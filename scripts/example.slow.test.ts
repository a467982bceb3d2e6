// `npm run example` works as the README says: it builds (when dist/ is missing or was built from other
// sources; on a fresh clone, always), starts its own mock, and the example (which imports `didit-share`
// like a user's code) mints a token and imports the session.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

it('npm run example succeeds against the mock it starts', async () => {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'example'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(stdout).toMatch(/^token for a5f3bca2-46e2-411e-90ef-a580900a57ee, user, expires /m);
  expect(stdout).toMatch(/^imported as session [0-9a-f-]{36}: In Review$/m);
}, 180_000); // build + Prism + the example: 60 s seen on a loaded box
