// npm run upstream as its users run it: the spec against Didit's OpenAPI document (the excerpt of the
// reference folder, vendored in fixtures/) and a copy of it edited the way Didit might edit its own.
// What cannot be read or compared (URLs over loopback, exit 2): upstream-source.test.ts.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { type Doc, edited, excerpt, FIXTURE, IMPORT, REFERENCE, SHARE, shareBody, upstream } from './upstream-run.js';

describe("npm run upstream against the excerpt of Didit's OpenAPI document", () => {
  it.skipIf(!existsSync(REFERENCE))('the fixture is the reference copy verbatim', () => {
    expect(readFileSync(FIXTURE, 'utf8')).toBe(readFileSync(REFERENCE, 'utf8'));
  });

  it('exits 0: every disagreement is already an unsettled fact or an assumption, the rest non-breaking', async () => {
    const run = await upstream(FIXTURE);
    expect(run.code, run.output).toBe(0);
    expect(run.report.summary.breaking).toBe(0);
    const facts = new Set(run.report.differences.map((d) => d.fact).filter(Boolean));
    expect([...facts]).toEqual(
      expect.arrayContaining(['import-trust-review-required', 'import-success-status', 'import-keyless-status']),
    );
    expect(run.report.differences).toContainEqual(
      expect.objectContaining({
        severity: 'info',
        where: 'importSharedSession request body: trust_review',
        what: 'now required',
        fact: 'import-trust-review-required',
      }),
    );
    expect(run.report.document).toEqual({ title: 'Didit Verification API', version: '3.0.0', openapi: '3.0.0' });
    expect(run.markdown).toMatch(/^## Didit's OpenAPI document vs the spec: ✅ nothing breaking/);
  });

  it('exits 1 naming the field when Didit lowers the TTL maximum', async () => {
    const run = await upstream(edited((doc) => void (shareBody(doc).ttl_in_seconds.maximum = 43200)));
    expect(run.code, run.output).toBe(1);
    const breaking = run.report.differences.filter((d) => d.severity === 'breaking');
    expect(breaking).toEqual([
      expect.objectContaining({ where: 'shareSession request body: ttl_in_seconds', what: 'maximum 86400 → 43200' }),
    ]);
    expect(run.output).toMatch(/✗ breaking: shareSession request body: ttl_in_seconds — maximum 86400 → 43200/);
    expect(run.markdown).toMatch(/❌ 1 breaking difference/);
  });

  it.each<[string, (doc: Doc) => void, RegExp]>([
    [
      'a new required request field',
      (doc) => {
        const schema = doc.paths[SHARE].post.requestBody.content['application/json'].schema;
        schema.properties.purpose = { type: 'string' };
        schema.required.push('purpose');
      },
      /^shareSession request body: purpose — added, required$/,
    ],
    [
      'a response enum value',
      (doc) => {
        doc.paths[SHARE].post.responses['200'].content['application/json'].schema.properties.session_kind.enum.push(
          'group',
        );
      },
      /^shareSession response 200: session_kind — enum \+"group"$/,
    ],
    [
      'another security scheme',
      (doc) => void (doc.paths[IMPORT].post.security = [{ SessionTokenAuth: [] }]),
      /^importSharedSession security — changed$/,
    ],
    ['the operation gone', (doc) => void delete doc.paths[IMPORT], /^importSharedSession — operation removed$/],
  ])('exits 1 on %s', async (_what, edit, named) => {
    const run = await upstream(edited(edit));
    expect(run.code, run.output).toBe(1);
    expect(
      run.report.differences.filter((d) => d.severity === 'breaking').map((d) => `${d.where} — ${d.what}`),
    ).toEqual([expect.stringMatching(named)]);
  });

  it('holds a settled fact: the document contradicting what a live run settled is breaking', async () => {
    const doc = parseDocument(readFileSync(SPEC_PATH, 'utf8'));
    expect(doc.hasIn(['x-unsettled', 'import-success-status'])).toBe(true);
    doc.setIn(
      ['x-unsettled', 'import-success-status', 'settled'],
      doc.createNode({ value: 200, on: '2026-12-01', evidence: 'POST /v3/session/import-shared/ → 200' }),
    );
    const spec = doc.toString();
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-spec-')), 'openapi.yaml');
    writeFileSync(specPath, spec);
    const run = await upstream(FIXTURE, '--spec', specPath);
    expect(run.code, run.output).toBe(1);
    expect(run.report.differences.filter((d) => d.severity === 'breaking')).toEqual([
      expect.objectContaining({
        where: 'importSharedSession response 200',
        fact: 'import-success-status',
        why: expect.stringMatching(/^contradicts import-success-status, settled on 200/),
      }),
    ]);
  });

  it('holds a calibrated assumption: the document contradicting what a live run confirmed (x-observed) is breaking', async () => {
    // Edited as a document, not as text: whatever layout the spec's YAML has, the same edit.
    const doc = parseDocument(readFileSync(SPEC_PATH, 'utf8'));
    const at = ['components', 'schemas', 'ShareSessionResponse'];
    expect(doc.getIn([...at, 'x-assumption'])).toBe(true);
    doc.deleteIn([...at, 'x-assumption']);
    doc.setIn(
      [...at, 'x-observed'],
      doc.createNode({ verdict: 'confirmed', on: '2026-12-01', evidence: 'POST /v3/session/<uuid>/share/ → 200' }),
    );
    const spec = doc.toString();
    const specPath = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-spec-')), 'openapi.yaml');
    writeFileSync(specPath, spec);
    const run = await upstream(FIXTURE, '--spec', specPath);
    expect(run.code, run.output).toBe(1);
    const breaking = run.report.differences.filter((d) => d.severity === 'breaking');
    expect(breaking.map((d) => d.where)).toEqual([
      'shareSession response 200: share_token',
      'shareSession response 200: for_application_id',
      'shareSession response 200: session_kind',
    ]);
    for (const d of breaking) expect(d.why).toMatch(/^contradicts what a live run confirmed \(x-observed\)/);
  });

  it('reads YAML as well as JSON', async () => {
    const { stringify } = await import('yaml');
    const path = join(mkdtempSync(join(tmpdir(), 'didit-share-upstream-yaml-')), 'openapi.yaml');
    writeFileSync(path, stringify(excerpt()));
    expect((await upstream(path)).code).toBe(0);
  });
});
