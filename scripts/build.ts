// npm run build (also npm's `prepare`: installs from git, npm pack, npm publish). Writes:
//   dist/src, dist/generated  ESM + .d.ts: tsc, and generated/*.js|.d.ts copied (tsc does not emit
//   dist/twin                 hand-written JS or declarations). dist/twin is `didit-share/testing`.
//   dist/cjs/src/index.cjs    CommonJS: one self-contained esbuild bundle per entry, so require() works
//   dist/cjs/twin/index.cjs   on every Node line (jose is ESM-only, and require(esm) needs Node 20.19+).
//                             The dependencies stay declared for the ESM build and the types. Separate
//                             bundles keep the twin out of the client's.
//   dist/cjs/**/*.d.cts       the same declarations as .d.cts with `.cjs` specifiers, so TypeScript
//                             sees CommonJS types for the CommonJS entry (no "masquerading as ESM").
//   dist/.build-inputs        the hash of what was built from (scripts/build-inputs.ts); not packed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { BUILD_INPUTS_FILE, buildInputsHash } from './build-inputs.js';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// Only what this script writes: dist/docs (npm run docs) stays. The inputs are hashed before the build
// reads them, so an edit made during the build leaves dist/ stale, never falsely current.
const inputs = buildInputsHash();
rmSync(BUILD_INPUTS_FILE, { force: true });
for (const folder of ['src', 'generated', 'twin', 'cjs']) rmSync(join(dist, folder), { recursive: true, force: true });
// --no-check (the preflight, which type-checks every file of the build right after with `tsc --noEmit`;
// and the packaging test's `npm pack`, through DIDIT_SHARE_BUILD_NO_CHECK=1, packing sources npm test has
// just type-checked): tsc emits the same files without checking them first, and still fails on a
// declaration it cannot emit. A user's `npm run build` or a git install's `prepare` checks.
const check = !process.argv.includes('--no-check') && process.env.DIDIT_SHARE_BUILD_NO_CHECK !== '1';
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...(check ? [] : ['--noCheck'])], {
  stdio: 'inherit',
});
mkdirSync(join(dist, 'generated'), { recursive: true });
for (const file of readdirSync(join(root, 'generated'))) {
  if (file.endsWith('.js') || file.endsWith('.d.ts'))
    copyFileSync(join(root, 'generated', file), join(dist, 'generated', file));
}

for (const entry of ['src', 'twin']) {
  await build({
    entryPoints: [join(root, entry, 'index.ts')],
    outfile: join(dist, 'cjs', entry, 'index.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    banner: { js: `// didit-share ${pkg.version} (CommonJS build; the ESM build is dist/${entry})` },
    logLevel: 'warning',
  });
}

// Relative specifiers only: `./client.js` -> `./client.cjs` (TypeScript maps it to client.d.cts).
const toCjs = (text: string) => text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.js\2/g, '$1$2$3.cjs$2');
for (const folder of ['src', 'generated', 'twin']) {
  for (const file of readdirSync(join(dist, folder)).filter((f) => f.endsWith('.d.ts'))) {
    const target = join(dist, 'cjs', folder, file.replace(/\.d\.ts$/, '.d.cts'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, toCjs(readFileSync(join(dist, folder, file), 'utf8')));
  }
}
writeFileSync(BUILD_INPUTS_FILE, `${inputs}\n`);
console.log('built dist/src + dist/generated + dist/twin (ESM) and dist/cjs (CommonJS)');
