// Where each statement of the spec comes from: documented facts name their page (`x-sources`),
// assumptions say why (`x-assumption`), and facts Didit's own pages disagree on list every
// candidate with its source (`x-unsettled`). A calibrated spec may have confirmed an assumption
// (`x-observed`), which then stands in for the flag.
import { describe, expect, it } from 'vitest';
import { type JsonObject, loadSpec } from '../spec-kit/spec.js';
import { operationById, resolveRef } from '../spec-kit/spec-examples.js';
import { unsettledFacts } from '../spec-kit/unsettled.js';

const spec = loadSpec();

const assumedOrConfirmed = (node: JsonObject) =>
  node['x-assumption'] === true || (node['x-observed'] as JsonObject | undefined)?.verdict === 'confirmed';

describe('assumptions are marked', () => {
  const marked: Array<[string, JsonObject]> = [];
  (function walk(node: unknown, pointer: string) {
    if (node === null || typeof node !== 'object') return;
    if ((node as JsonObject)['x-assumption'] === true) marked.push([pointer, node as JsonObject]);
    for (const [key, value] of Object.entries(node)) walk(value, `${pointer}/${key}`);
  })(spec, '#');

  it.each(marked)('%s says why in its description', (_pointer, node) => {
    expect(node.description).toMatch(/Assumption — \S/);
  });

  // No Didit page states these statuses; each must carry the flag so a live run can confirm it (share's
  // 200 is stated by Didit's OpenAPI document, which no other source contradicts).
  it.each([
    ['shareSession', '400'],
    ['shareSession', '404'],
    ['importSharedSession', '200'],
    ['importSharedSession', '201'],
    ['importSharedSession', '400'],
    ['importSharedSession', '402'],
  ])('%s %s is marked x-assumption', (operationId, status) => {
    const operation = operationById(spec, operationId);
    expect(assumedOrConfirmed(resolveRef(spec, (operation.responses as JsonObject)[status]))).toBe(true);
  });

  // The import page documents these statuses but no body: the {detail} shape and its strings are ours.
  it.each(['401', '402', '403', '404'])('importSharedSession %s: the body shape is marked x-assumption', (status) => {
    const response = resolveRef(spec, (operationById(spec, 'importSharedSession').responses as JsonObject)[status]);
    const schema = (response.content as Record<string, JsonObject>)['application/json']!.schema as JsonObject;
    expect(assumedOrConfirmed(schema)).toBe(true);
  });

  // Shapes the documentation shows but does not state: required-ness, the token's form on import.
  it.each<[string, string?]>([
    ['ShareSessionResponse'],
    ['ImportSharedSessionResponse'],
    ['ImportSharedSessionRequest', 'share_token'],
  ])('schema %s %s is marked x-assumption', (name, property) => {
    const schema = spec.components.schemas[name]!;
    const node = property ? (schema.properties as Record<string, JsonObject>)[property]! : schema;
    expect(assumedOrConfirmed(node)).toBe(true);
  });
});

describe('documented facts name their source', () => {
  const SOURCE = /^https:\/\/(docs\.didit\.me|github\.com\/didit-protocol)\//;
  const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
  const responses = operations.flatMap((op) =>
    Object.entries(op.responses as JsonObject).map(
      ([status, r]) => [`${String(op.operationId)} ${status}`, resolveRef(spec, r)] as const,
    ),
  );

  it.each(operations.map((op) => [String(op.operationId), op] as const))('operation %s cites its pages', (_id, op) => {
    expect(op['x-sources']).toEqual(expect.arrayContaining([expect.stringMatching(SOURCE)]));
  });

  it.each(responses)('response %s cites a page or is an assumption', (_name, response) => {
    if (response['x-assumption'] !== true)
      expect(response['x-sources']).toEqual(expect.arrayContaining([expect.stringMatching(SOURCE)]));
  });

  it.each([
    'ShareSessionRequest',
    'ShareSessionResponse',
    'ShareTokenClaims',
    'ImportSharedSessionRequest',
    'ImportSharedSessionResponse',
    'ErrorDetail',
  ])('schema %s cites its pages', (name) => {
    const sources = spec.components.schemas[name]!['x-sources'] as string[];
    expect(sources.length).toBeGreaterThan(0);
    for (const url of sources) expect(url).toMatch(SOURCE);
  });

  it('the import answer names shared_from_session and the decision payload fields the pages document', () => {
    const properties = Object.keys(spec.components.schemas.ImportSharedSessionResponse!.properties as JsonObject);
    expect(properties).toEqual(
      expect.arrayContaining(['shared_from_session', 'features', 'id_verifications', 'liveness_checks', 'reviews']),
    );
  });
});

describe('unsettled facts', () => {
  const facts = unsettledFacts(spec);

  it('lists the facts Didit disagrees with itself on', () => {
    expect(facts.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'share-keyless-status',
        'import-keyless-status',
        'import-success-status',
        'import-trust-review-required',
        'import-vendor-data-when-omitted',
        // Where Didit's OpenAPI document disagrees with its pages.
        'import-token-refused-status',
        'import-wrong-application-status',
        'import-original-missing-status',
        'import-replay-wording',
        'import-kyc-session-kind',
        'import-shared-from-session',
        'import-feature-reports',
        'share-unfinished-detail',
      ]),
    );
  });

  it.each(facts.map((f) => [f.id, f] as const))(
    '%s: a question, its operation, two or more sourced candidates',
    (_id, fact) => {
      expect(fact.question).toMatch(/\?$/);
      expect(() => operationById(spec, fact.operation)).not.toThrow();
      expect(fact.candidates.length).toBeGreaterThanOrEqual(2);
      const sourced = { source: expect.any(String), says: expect.any(String) };
      for (const { also, ...c } of fact.candidates) {
        expect(c).toEqual({ value: expect.anything(), ...sourced });
        for (const more of also ?? []) expect(more).toEqual(sourced);
      }
      if (fact.settled) expect(fact.candidates.map((c) => String(c.value))).toContain(String(fact.settled.value));
    },
  );

  // A client generated from the spec must know every status the service may choose.
  it.each(facts.filter((f) => f.id.endsWith('-status')).map((f) => [f.id, f] as const))(
    '%s: every candidate status is a response of the operation',
    (_id, fact) => {
      const statuses = Object.keys(operationById(spec, fact.operation).responses as JsonObject);
      for (const c of fact.candidates) expect(statuses).toContain(String(c.value));
    },
  );
});
