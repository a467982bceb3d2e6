// Fails (exit 1), naming each stale file, when generated/ differs from what the spec generates now.
// Usage: tsx scripts/check-generated.ts [--spec FILE]   (--spec lets a test prove an edited spec fails)
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { GENERATED_DIR, generate } from './generate.js';

/** Files of generated/ that are not tool output and so are not compared. */
const HAND_WRITTEN = new Set(['README.md']);

export async function staleGeneratedFiles(specPath = SPEC_PATH, generatedDir = GENERATED_DIR): Promise<string[]> {
  const fresh = mkdtempSync(join(tmpdir(), 'didit-share-generated-'));
  try {
    const expected = await generate(specPath, fresh);
    const stale = expected.filter((name) => {
      const committed = join(generatedDir, name);
      return !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(fresh, name), 'utf8');
    });
    const extra = readdirSync(generatedDir).filter((name) => !expected.includes(name) && !HAND_WRITTEN.has(name));
    return [...stale, ...extra.map((name) => `${name} (no longer generated)`)];
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { spec: { type: 'string' } } });
  const stale = await staleGeneratedFiles(values.spec ?? SPEC_PATH);
  if (stale.length > 0) {
    console.error(`generated/ is stale against ${values.spec ?? 'spec/openapi.yaml'}:`);
    for (const name of stale) console.error(`  generated/${name}`);
    console.error('Run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log('generated/ is up to date with the spec.');
}
