// npm run docs [-- FILE]: the API reference as one self-contained page (default dist/docs/index.html) that renders
// without network. `redocly build-docs` prerenders the page but loads Redoc's script from its CDN
// (`import { hydrate } from "https://cdn.redocly.com/…"` plus a modulepreload link); the CLI ships
// that same standalone bundle, so it is inlined here in place of the import.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const OUT = resolve(process.argv[2] ?? join(root, 'dist/docs/index.html'));
const CDN_IMPORT =
  /import\s*\{\s*hydrate\s*\}\s*from\s*"(https:\/\/cdn\.redocly\.com\/redoc\/v([\d.]+)\/bundles\/redoc\.standalone\.js)";?/;
const BUNDLE = join(
  dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'lib/chunks/redoc.standalone.js',
);

const fail = (message: string): never => {
  console.error(`docs: ${message}`);
  process.exit(1);
};

const work = mkdtempSync(join(tmpdir(), 'didit-share-docs-'));
try {
  const prerendered = join(work, 'index.html');
  try {
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'scripts/redocly.ts'),
        'build-docs',
        '--config',
        'spec/redocly.yaml',
        'spec/openapi.yaml',
        '-o',
        prerendered,
      ],
      {
        cwd: root,
        stdio: 'pipe', // its progress lines name the temporary file: shown only if it fails
      },
    );
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    fail(`redocly build-docs failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  const html = readFileSync(prerendered, 'utf8');
  const cdn =
    CDN_IMPORT.exec(html) ??
    fail(`build-docs no longer imports Redoc from its CDN the expected way; update ${import.meta.url}`);
  const bundle = readFileSync(BUNDLE, 'utf8');
  const version = /Version: ([\d.]+)/.exec(bundle.slice(0, 300))?.[1];
  if (version !== cdn[2]) fail(`the page wants Redoc ${cdn[2]}, the CLI ships ${version} at ${BUNDLE}`);
  // The bundle ends with `export{RedocStandalone,hydrate,init};` after declaring them: inlined in the
  // page's module script, the declarations stand in for the import.
  const code = bundle
    .replace(/export\s*\{[^}]*\};?\s*$/, '')
    // Nothing in the script may end it or open an HTML comment inside it.
    .replace(/<\/script/gi, '<\\/script')
    .replace(/<!--/g, '\\x3C!--')
    .replace(/<script/gi, '\\x3Cscript');
  const page = html.replace(/<link rel="modulepreload" href="https:[^>]*>\s*/g, '').replace(cdn[0], () => code);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, page);
  console.log(
    `wrote ${relative(process.cwd(), OUT)} (${Math.round(page.length / 1024)} KiB, Redoc ${version} inlined; no network needed)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
