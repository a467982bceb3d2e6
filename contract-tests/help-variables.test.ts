// `npm run drift -- --help` and docs/drift-check.md name the same variables (the nightly workflow is held
// to the docs in scripts/doc-snippets.test.ts): a variable the runner gains is documented, or this fails.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { USAGE } from './drift-args.js';
import { OPTIONAL_VARS, REQUIRED_VARS } from './suite/target.js';

const names = (text: string) => [...new Set(text.match(/\bDIDIT_[A-Z_]+\b/g))].sort();
const docs = readFileSync(new URL('../docs/drift-check.md', import.meta.url), 'utf8');
const variablesSection = docs.split('## Variables')[1]!.split('\n## ')[0]!;

describe("the drift check's variables", () => {
  it('--help names every variable the runner reads, and no other', () => {
    expect(names(USAGE)).toEqual(['DIDIT_BASE_URL', ...REQUIRED_VARS, ...Object.keys(OPTIONAL_VARS)].sort());
  });

  it('docs/drift-check.md documents exactly the variables --help names', () => {
    expect(names(variablesSection)).toEqual(names(USAGE));
  });
});
