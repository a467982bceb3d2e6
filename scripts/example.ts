// npm run example: builds the package (unless dist/ was built from the current sources), starts the mock (scripts/mock.ts) on a free port, and runs
// examples/share-and-import.ts against it. The example imports `didit-share` as users do; Node
// resolves that name to this package's own build through its `exports` (a package may import itself).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, stopChild, waitForPrism } from '../spec-kit/prism.js';
import { buildIsCurrent } from './build-inputs.js';

const root = new URL('..', import.meta.url).pathname;
const node = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

if (buildIsCurrent()) console.log('dist/ is current with the sources: not rebuilt');
else
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });

const port = await freePort();
const mock = spawn(process.execPath, ['--import', 'tsx', 'scripts/mock.ts'], {
  cwd: root,
  env: { ...process.env, PORT: String(port) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let code = 1;
try {
  const baseUrl = await waitForPrism(mock).baseUrl;
  // The mock checks only that a key is sent; keep a real one out of a demo against a mock.
  const example = node(['--import', 'tsx', 'examples/share-and-import.ts'], {
    DIDIT_BASE_URL: baseUrl,
    DIDIT_API_KEY: 'mock-key',
    PARTNER_API_KEY: 'mock-partner-key',
  });
  [code] = (await once(example, 'exit')) as [number];
} catch (error) {
  console.error(`example: ${(error as Error).message}`);
} finally {
  await stopChild(mock);
}
process.exit(code);
