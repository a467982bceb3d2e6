// Generation takes every JSON Schema 2020-12 keyword the spec may use: each keyword becomes a field of
// the share request in a scratch copy of the spec (one scratch project, all keywords at once), which
// is generated and built; then through the built client (ESM and the CommonJS bundle) a value breaking
// the keyword is refused naming the field and one keeping it is sent, and the built twin answers the
// breaking value sent raw with a 400 naming the field (DRF's shape).
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { generate } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** keyword → [its schema, a value that keeps it, a value that breaks it]. */
const KEYWORDS: Array<[string, Record<string, unknown>, unknown, unknown]> = [
  ['maxLength', { type: 'string', maxLength: 3 }, 'abc', 'abcd'],
  ['maxLength counting code points (ucs2length)', { type: 'string', maxLength: 1 }, '😀', 'ab'],
  ['minLength', { type: 'string', minLength: 2 }, 'ab', 'a'],
  ['pattern', { type: 'string', pattern: '^[a-z]+$' }, 'abc', 'A1'],
  ['format email', { type: 'string', format: 'email' }, 'a@example.com', 'nope'],
  ['format date-time', { type: 'string', format: 'date-time' }, '2025-01-01T00:00:00Z', 'tomorrow'],
  ['format date', { type: 'string', format: 'date' }, '2025-01-01', '2025-13-45'],
  ['format uri', { type: 'string', format: 'uri' }, 'https://example.com/a', 'not a uri'],
  ['format int32 (a function format)', { type: 'integer', format: 'int32' }, 7, 2 ** 31],
  ['format byte (a function format)', { type: 'string', format: 'byte' }, 'aGk=', '***'],
  ['uniqueItems', { type: 'array', items: { type: 'string' }, uniqueItems: true }, ['a', 'b'], ['a', 'a']],
  ['enum of objects (deep equality)', { enum: [{ a: 1 }, 'x'] }, { a: 1 }, { a: 2 }],
  ['const', { const: { a: [1] } }, { a: [1] }, { a: [2] }],
  ['multipleOf', { type: 'number', multipleOf: 5 }, 10, 7],
  ['exclusiveMinimum', { type: 'number', exclusiveMinimum: 0 }, 1, 0],
  ['exclusiveMaximum', { type: 'number', exclusiveMaximum: 10 }, 9, 10],
  ['minItems and maxItems', { type: 'array', minItems: 1, maxItems: 2 }, [1], [1, 2, 3]],
  ['minProperties and maxProperties', { type: 'object', minProperties: 1, maxProperties: 1 }, { a: 1 }, { a: 1, b: 2 }],
  ['propertyNames', { type: 'object', propertyNames: { type: 'string', maxLength: 2 } }, { ab: 1 }, { abc: 1 }],
  ['dependentRequired', { type: 'object', dependentRequired: { a: ['b'] } }, { a: 1, b: 2 }, { a: 1 }],
  ['prefixItems', { type: 'array', prefixItems: [{ type: 'integer' }], minItems: 1, items: false }, [1], ['x']],
  ['contains and minContains', { type: 'array', contains: { type: 'integer' }, minContains: 2 }, [1, 2], [1, 'x']],
  // A schema read from YAML, as the spec's are: `then` is a keyword here, not a thenable.
  [
    'if / then / else',
    parse('{ if: { type: string }, then: { type: string, minLength: 2 }, else: { type: integer } }'),
    'ab',
    'a',
  ],
  ['not', { not: { type: 'string' } }, 1, 'x'],
  ['oneOf', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'x', true],
  ['anyOf', { anyOf: [{ type: 'string' }, { type: 'integer' }] }, 1, true],
  ['allOf', { allOf: [{ type: 'integer' }, { type: 'integer', minimum: 2 }] }, 2, 1],
  [
    'additionalProperties false',
    { type: 'object', properties: { a: {} }, additionalProperties: false },
    { a: 1 },
    { b: 1 },
  ],
  [
    'patternProperties',
    { type: 'object', patternProperties: { '^n_': { type: 'integer' } } },
    { n_a: 1 },
    { n_a: 'x' },
  ],
  ['type with null (3.1 nullable)', { type: ['string', 'null'] }, null, 1],
  [
    'a nested object with required',
    { type: 'object', required: ['a'], properties: { a: { type: 'string' } } },
    { a: 'x' },
    {},
  ],
];
const field = (i: number) => `kw_${i}`;

const scratch = mkdtempSync(join(tmpdir(), 'didit-share-keywords-'));
type Client = {
  sessions: { share(id: string, body: Record<string, unknown>): Promise<unknown> };
  raw: { POST(path: string, init: unknown): Promise<{ error?: unknown; response: Response }> };
};
type Package = { createDiditClient(options: Record<string, unknown>): Client; DiditValidationError: new () => Error };
let esm: Package;
let cjs: Package;
let twinModule: {
  startDiditTwin(options?: unknown): Promise<{
    baseUrl: string;
    source: { apiKey: string; sessionId: string };
    partner: { applicationId: string };
    close(): Promise<void>;
  }>;
};

describe('every 2020-12 keyword generates, builds and validates through the built client and twin', () => {
  beforeAll(async () => {
    const spec = parse(readFileSync(SPEC_PATH, 'utf8'));
    Object.assign(
      spec.components.schemas.ShareSessionRequest.properties,
      Object.fromEntries(KEYWORDS.map(([, schema], i) => [field(i), schema])),
    );
    for (const dir of ['src', 'twin']) cpSync(join(ROOT, dir), join(scratch, dir), { recursive: true });
    mkdirSync(join(scratch, 'scripts'));
    mkdirSync(join(scratch, 'spec'));
    for (const file of [
      'scripts/build.ts',
      'scripts/build-inputs.ts',
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
    ])
      cpSync(join(ROOT, file), join(scratch, file));
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    writeFileSync(join(scratch, 'spec/openapi.yaml'), stringify(spec));
    await generate(join(scratch, 'spec/openapi.yaml'), join(scratch, 'generated'));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--no-check'], {
      cwd: scratch,
    });
    esm = (await import(pathToFileURL(join(scratch, 'dist/src/index.js')).href)) as Package;
    cjs = createRequire(import.meta.url)(join(scratch, 'dist/cjs/src/index.cjs')) as Package;
    twinModule = await import(pathToFileURL(join(scratch, 'dist/twin/index.js')).href);
  }, 300_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const sent: string[] = [];
  const fetch = async (url: string) => {
    sent.push(url);
    return new Response(JSON.stringify({}), { status: 500 });
  };

  it.each(KEYWORDS.map(([name, , good, bad], i) => [name, i, good, bad] as const))(
    '%s',
    async (_name, i, good, bad) => {
      for (const pkg of [esm, cjs]) {
        const client = pkg.createDiditClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, fetch });
        const body = (value: unknown) => ({
          for_application_id: '00000000-0000-4000-8000-000000000000',
          [field(i)]: value,
        });
        const session = '00000000-0000-4000-8000-000000000001';
        const refused = await client.sessions.share(session, body(bad)).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(pkg.DiditValidationError);
        expect(String((refused as Error).message)).toContain(field(i));
        const before = sent.length;
        await client.sessions.share(session, body(good)).catch(() => undefined); // the fake answers 500
        expect(sent.length, `the value keeping ${field(i)} was not sent`).toBe(before + 1);
      }
      const twin = await twinModule.startDiditTwin({ rateLimit: false });
      try {
        const client = esm.createDiditClient({ apiKey: twin.source.apiKey, baseUrl: twin.baseUrl, maxRetries: 0 });
        const { error, response } = await client.raw.POST('/v3/session/{sessionId}/share/', {
          params: { path: { sessionId: twin.source.sessionId } },
          body: { for_application_id: twin.partner.applicationId, [field(i)]: bad },
        });
        expect(response.status, JSON.stringify(error)).toBe(400);
        expect(Object.keys(error as object)).toEqual([field(i)]);
      } finally {
        await twin.close();
      }
    },
  );
});
