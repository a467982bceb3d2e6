// `npm run docs` writes one page that renders offline: Redoc's script is inlined, and nothing
// (script, module import, preload, stylesheet) is fetched from the network.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'didit-share-docs-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('npm run docs writes a self-contained page', async () => {
  const out = join(work, 'index.html');
  const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'docs', '--', out], { cwd: root });
  expect(stderr).toBe('');
  expect(stdout).toMatch(/^wrote .*index\.html \(\d+ KiB, Redoc [\d.]+ inlined; no network needed\)\n$/);
  const html = readFileSync(out, 'utf8');

  const remote = '(?:https?:)?//';
  expect(html.match(new RegExp(String.raw`<script[^>]*\ssrc=["']?${remote}[^>]*>`, 'gi'))).toBeNull();
  expect(html.match(new RegExp(String.raw`<link[^>]*\shref=["']?${remote}[^>]*>`, 'gi'))).toBeNull();
  expect(html.match(new RegExp(String.raw`@import\s+(?:url\()?["']?${remote}`, 'gi'))).toBeNull();
  expect(html.match(new RegExp(String.raw`\b(?:import|from)\s*\(?\s*["']${remote}`, 'g'))).toBeNull();

  // Prerendered content, and the hydrating script itself, are in the page.
  expect(html).toContain('Didit Share Session API');
  expect(html).toMatch(/const\s*\{\s*RedocStandalone\s*,\s*hydrate\s*,\s*init\s*\}\s*=/);
  expect(html).toMatch(/\bhydrate\(/);
}, 120_000);
