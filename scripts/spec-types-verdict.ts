// The TypeScript compiler's verdict on a spec change: a consumer file written against the base's
// generated types (it reads every JSON answer and sends every request body and parameter set) is
// compiled against the head's. An error is code of a consumer that stops compiling: major, named by
// the compiler's own message. Blind to what types do not carry (bounds, patterns, formats): the rules
// of spec-compare.ts see those.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import type { SpecChange } from './spec-compare.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Each operationId of the document, with the statuses whose answer has a JSON body and whether it takes a body. */
function operations(doc: unknown): Map<string, { statuses: string[]; body: boolean }> {
  const out = new Map<string, { statuses: string[]; body: boolean }>();
  for (const item of Object.values(isObject(doc) && isObject(doc.paths) ? doc.paths : {})) {
    for (const op of Object.values(isObject(item) ? item : {})) {
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      const responses = isObject(op.responses) ? op.responses : {};
      const statuses = Object.keys(responses).filter((s) => /^\d{3}$/.test(s));
      out.set(op.operationId, { statuses, body: op.requestBody !== undefined });
    }
  }
  return out;
}

interface Line {
  label: string;
  code: string;
}

function consumerLines(base: unknown, head: unknown, wanted?: string[]): Line[] {
  const headOps = operations(head);
  const lines: Line[] = [];
  let n = 0;
  for (const [id, op] of operations(base)) {
    if (!headOps.has(id) || (wanted && !wanted.includes(id))) continue; // a removed operation: the rules say so
    const o = JSON.stringify(id);
    for (const status of op.statuses) {
      const type = (side: string) => `${side}[${o}]['responses'][${status}]['content']['application/json']`;
      lines.push({ label: `${id} response ${status}`, code: `declare const r${n}: ${type('H')};` });
      lines.push({ label: `${id} response ${status}`, code: `export const read${n++}: ${type('B')} = r${n - 1};` });
    }
    if (op.body) {
      const type = (side: string) => `NonNullable<${side}[${o}]['requestBody']>['content']['application/json']`;
      lines.push({ label: `${id} request body`, code: `declare const q${n}: ${type('B')};` });
      lines.push({ label: `${id} request body`, code: `export const sent${n++}: ${type('H')} = q${n - 1};` });
    }
    lines.push({ label: `${id} parameters`, code: `declare const p${n}: B[${o}]['parameters'];` });
    lines.push({ label: `${id} parameters`, code: `export const params${n++}: H[${o}]['parameters'] = p${n - 1};` });
  }
  return lines;
}

/** Major changes the compiler finds; `[]` when code written against the base compiles against the head. */
export async function typesVerdict(baseDoc: unknown, headDoc: unknown, operationIds?: string[]): Promise<SpecChange[]> {
  const dir = mkdtempSync(join(tmpdir(), 'didit-share-spec-types-'));
  try {
    for (const [name, doc] of [
      ['base', baseDoc],
      ['head', headDoc],
    ] as const) {
      const ast = await openapiTS(structuredClone(doc) as never, {
        alphabetize: false,
        defaultNonNullable: false,
        silent: true,
      });
      writeFileSync(join(dir, `${name}.ts`), astToString(ast));
    }
    const lines = consumerLines(baseDoc, headDoc, operationIds);
    const header = [
      "import type { operations as B } from './base.js';",
      "import type { operations as H } from './head.js';",
    ];
    const consumer = join(dir, 'consumer.ts');
    writeFileSync(consumer, [...header, ...lines.map((l) => l.code)].join('\n'));
    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    const found = new Map<string, SpecChange>();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      if (!d.file || d.start === undefined)
        throw new Error(`the consumer file did not compile: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      const line = d.file.getLineAndCharacterOfPosition(d.start).line - header.length;
      const label = lines[line]?.label;
      if (label === undefined || d.file.fileName !== consumer)
        throw new Error(`the generated types do not compile: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      // The lines naming a property say which field; the last says which values.
      const said = ts
        .flattenDiagnosticMessageText(d.messageText, '\n')
        .split('\n')
        .map((l) => l.trim());
      const message = [...new Set([...said.filter((l) => /property '/.test(l)), said.at(-1)!])].join(' ').slice(0, 400);
      if (found.has(label)) continue;
      const why = `code written against the base's types stops compiling: ${message}`;
      found.set(label, { level: 'major', where: label, what: 'types: no longer compiles', why, path: [] });
    }
    return [...found.values()];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
