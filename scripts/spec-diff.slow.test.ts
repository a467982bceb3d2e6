// npm run spec:diff -- --base HEAD against an edited copy of HEAD's spec: the level a consumer would
// give each edit, the change named, the exit code (1 major, 0 otherwise, 2 cannot compare).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { JsonObject, OpenApiDocument } from '../spec-kit/spec.js';
import { runSpecDiffCli } from './spec-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'didit-share-spec-diff-'));
const headSpec = () =>
  parse(execFileSync('git', ['show', 'HEAD:spec/openapi.yaml'], { encoding: 'utf8' })) as OpenApiDocument;
type Schema = JsonObject & { properties: Record<string, JsonObject>; required?: string[] };
const schema = (doc: OpenApiDocument, name: string) => doc.components.schemas[name] as Schema;

/** HEAD's spec with one edit, written where --head can read it. */
function edited(name: string, edit: (doc: OpenApiDocument) => void): string {
  const doc = headSpec();
  edit(doc);
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, stringify(doc));
  return path;
}

async function specDiff(head: string) {
  const out: string[] = [];
  const code = await runSpecDiffCli(['--base', 'HEAD', '--head', head, '--out', dir], {
    log: (t) => out.push(t),
    error: (t) => out.push(t),
  });
  return { code, text: out.join('\n'), changeset: readFileSync(join(dir, 'spec-diff-changeset.md'), 'utf8') };
}

const cases: Array<[string, string, number, RegExp, (doc: OpenApiDocument) => void]> = [
  [
    'a description edit',
    'patch',
    0,
    /ttl_in_seconds \| description edited/,
    (d) => {
      schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.description = 'Edited.';
    },
  ],
  [
    'an added optional response field',
    'minor',
    0,
    /response 200: \w+ \| added, optional/,
    (d) => {
      const s = schema(d, 'ShareSessionResponse');
      s.properties[['expires_at', 'added_field'].find((f) => !(f in s.properties))!] = {
        type: 'string',
        format: 'date-time',
      };
    },
  ],
  [
    'session_kind removed from the share response',
    'major',
    1,
    /shareSession response 200: session_kind \| removed/,
    (d) => {
      const s = schema(d, 'ShareSessionResponse');
      delete s.properties.session_kind;
      s.required = s.required?.filter((f) => f !== 'session_kind');
    },
  ],
  [
    'a lowered TTL maximum',
    'major',
    1,
    /ttl_in_seconds \| maximum 86400 → 43200/,
    (d) => {
      schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.maximum = 43200;
    },
  ],
];

describe('npm run spec:diff -- --base HEAD', () => {
  it.each(cases)('%s → %s (exit %i)', async (name, level, exit, named, edit) => {
    const { code, text, changeset } = await specDiff(edited(name.replaceAll(' ', '-'), edit));
    expect(text).toContain(`## Spec change for consumers: ${level}`);
    expect(text).toMatch(named);
    expect(code).toBe(exit);
    expect(changeset).toMatch(new RegExp(`^---\\n"didit-share": ${level}\\n---\\n`));
  });

  it('the compiler names what breaks a consumer of the types (session_kind removed)', async () => {
    const { text } = await specDiff(edited('kind-removed-types', cases[2]![4]));
    expect(text).toMatch(
      /shareSession response 200 \| types: no longer compiles \| .*Property 'session_kind' is missing/,
    );
  });

  it('exits 2, saying why, when the base cannot be read', async () => {
    const errors: string[] = [];
    expect(await runSpecDiffCli(['--base', 'no-such-ref-xyz', '--out', dir], { error: (t) => errors.push(t) })).toBe(2);
    expect(errors.join('\n')).toMatch(/cannot read spec\/openapi\.yaml at no-such-ref-xyz/);
  });

  it('as a process: exit 1 for a major change, the summary on stdout', async () => {
    const head = edited(
      'process-major',
      (d) => void (schema(d, 'ShareSessionRequest').properties.ttl_in_seconds!.maximum = 43200),
    );
    const failure = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'scripts/spec-diff.ts',
      '--base',
      'HEAD',
      '--head',
      head,
      '--out',
      dir,
    ]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toMatchObject({ code: 1, stdout: expect.stringContaining('maximum 86400 → 43200') });
  });
});
