// Redocly's Node 20 end-of-life banner never reaches npm test's output; nothing else is dropped.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { noticeFilter } from './redocly-notices.js';

const root = new URL('..', import.meta.url).pathname;

const box = (...lines: string[]) =>
  `${['    ╔════════╗', ...lines.map((l) => `    ║  ${l}  ║`), '    ╚════════╝'].join('\n')}\n`;

function filter(text: string, chunk = 7): string {
  let out = '';
  const f = noticeFilter((t) => (out += t));
  for (let i = 0; i < text.length; i += chunk) f.push(text.slice(i, i + chunk));
  f.end();
  return out;
}

it('drops the Node 20 and Redoc 3 notice boxes, and only those', () => {
  const eol = box(
    'Deprecation warning: Node.js 20 support is ending',
    'Node.js 20 reached end-of-life on April 30, 2026.',
  );
  const redoc3 = box('build-docs now renders docs with Redoc 3.');
  const other = box('Something else worth reading');
  expect(filter(`\n${eol}\nvalidating spec/openapi.yaml...\n${redoc3}\n${other}❌ Validation failed\n`)).toBe(
    `validating spec/openapi.yaml...\n${other}❌ Validation failed\n`,
  );
  expect(filter('no newline at the end')).toBe('no newline at the end');
});

it('npm run lint:spec prints no end-of-life banner, and still its result', async () => {
  const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'lint:spec'], { cwd: root });
  expect(stdout + stderr).not.toMatch(/end-of-life|support is ending|╔/);
  expect(stdout + stderr).toContain('Your API description is valid');
}, 120_000);
