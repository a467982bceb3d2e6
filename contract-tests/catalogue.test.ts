// The catalogue of checks: contract-tests/README.md holds what the registry says (generated, never
// hand-edited), and `npm run drift -- --list` prints the same entries, with the spec's own bounds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue, catalogueMarkdown, catalogueText, README_PATH, withCatalogue } from './catalogue.js';
import { runDriftIn } from './drift-run.js';
import { CHECK_IDS } from './suite/check-ids.js';

describe('the catalogue of checks', () => {
  const entries = catalogue();

  it('lists every check of the registry once, each with its operation and rule', () => {
    expect(entries.map((e) => e.id).sort()).toEqual([...CHECK_IDS].sort());
    for (const e of entries) {
      expect(e.id.split('.')[0], e.id).toBe(e.operation === 'shareSession' ? 'share' : 'import');
      expect(e.rule.length, e.id).toBeGreaterThan(10);
    }
  });

  it('is current in contract-tests/README.md (else: node --import tsx contract-tests/catalogue.ts)', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toContain(catalogueMarkdown(entries));
    expect(withCatalogue(readme)).toBe(readme);
  });

  it('takes its bounds from the spec', () => {
    expect(entries.find((e) => e.id === 'share.rejects.ttl-above-maximum')?.rule).toMatch(/<= 86400/);
  });

  it('is what npm run drift -- --list prints, without running a check or writing a report', async () => {
    const run = await runDriftIn(['--list']);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toBe(catalogueText(entries));
    expect(run.output).toMatch(
      /import\.rejects\.workflow-missing\s+importSharedSession\s+any\s+workflow_id is required \(400\) \[needs DIDIT_PARTNER_API_KEY\]/,
    );
    expect(run.report).toBeUndefined();
  });
});
