// npm run build: tsc emits dist/src (ESM + .d.ts); tsc does not emit generated/*.js and *.d.ts
// (hand-written JS and declarations), so they are copied beside it into dist/generated.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
mkdirSync(join(root, 'dist/generated'), { recursive: true });
for (const file of readdirSync(join(root, 'generated'))) {
  if (file.endsWith('.js') || file.endsWith('.d.ts')) copyFileSync(join(root, 'generated', file), join(root, 'dist/generated', file));
}
console.log('built dist/src and dist/generated');
