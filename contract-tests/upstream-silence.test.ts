// A field the spec documents and Didit's document does not list is silence, not a contradiction: a
// spec that gains an optional field (its own sources, not Didit's document) stays green upstream,
// while one it requires is breaking (Didit's document would not have a client send it).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { FIXTURE, upstream } from './upstream-run.js';

/** The spec with `field` added to a request or response schema, written to a file of its own. */
function grownSpec(schema: string, field: string, required: boolean): string {
  const doc = parseDocument(readFileSync(SPEC_PATH, 'utf8'));
  doc.setIn(['components', 'schemas', schema, 'properties', field], doc.createNode({ type: 'string', maxLength: 200 }));
  if (required) doc.addIn(['components', 'schemas', schema, 'required'], field);
  const path = join(mkdtempSync(join(tmpdir(), 'didit-share-grown-')), 'openapi.yaml');
  writeFileSync(path, doc.toString());
  return path;
}

const FIELD = 'zz_only_in_the_spec';

describe("npm run upstream: what the spec says and Didit's document does not", () => {
  it.each([
    ['ShareSessionRequest', 'shareSession request body'],
    ['ShareSessionResponse', 'shareSession response 200'],
  ])('an optional field of %s is non-breaking, exit 0', async (schema, place) => {
    const run = await upstream(FIXTURE, '--spec', grownSpec(schema, FIELD, false));
    expect(run.code, run.output).toBe(0);
    expect(run.report.differences).toContainEqual(
      expect.objectContaining({ where: `${place}: ${FIELD}`, severity: 'non-breaking' }),
    );
  });

  it('a field the spec requires in a request is breaking, exit 1', async () => {
    const run = await upstream(FIXTURE, '--spec', grownSpec('ShareSessionRequest', FIELD, true));
    expect(run.code, run.output).toBe(1);
    expect(run.report.differences).toContainEqual(
      expect.objectContaining({ where: `shareSession request body: ${FIELD}`, severity: 'breaking' }),
    );
  });
});
