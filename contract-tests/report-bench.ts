// Peak memory, time and report sizes of the drift check on a normal answer and on a 1 MiB answer with
// 90,000 undocumented fields (issue 16: within ~1.25× of a normal run's peak). Each run is the CLI in
// a process of its own, against one loopback server; its peak RSS is read at exit.
// Usage: node --import tsx contract-tests/report-bench.ts [--rounds N]
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { json, serve } from '../test-support/loopback-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEAK = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss '+process.resourceUsage().maxRSS+'\\n'))`;
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });

async function measure(extraFields: number) {
  const fields = Object.fromEntries(Array.from({ length: extraFields }, (_, i) => [`f${i}`, 0]));
  const server = await serve((res, seen) => {
    if (seen.method === 'HEAD') return res.end();
    const asked = (JSON.parse(seen.body || '{}') as { for_application_id?: string }).for_application_id;
    json(res, 200, {
      share_token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln',
      for_application_id: asked,
      session_kind: 'user',
      ...fields,
    });
  });
  const reportDir = mkdtempSync(join(tmpdir(), 'didit-share-bench-'));
  const env = {
    PATH: process.env.PATH ?? '',
    DIDIT_BASE_URL: server.url,
    DIDIT_API_KEY: 'sk_test_bench-0123456789',
    DIDIT_SESSION_ID: crypto.randomUUID(),
    DIDIT_FOR_APPLICATION_ID: crypto.randomUUID(),
  };
  const started = performance.now();
  const stderr = await new Promise<string>((resolve) =>
    execFile(
      process.execPath,
      [
        '--optimize-for-size', // as `npm run drift` starts it
        '--import',
        'tsx',
        '--import',
        PEAK,
        'contract-tests/drift.ts',
        '--target',
        'live',
        '--report-dir',
        reportDir,
        '--max-body',
        '2000000',
      ],
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (_error, _stdout, err) => resolve(err),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await server.close();
  const peakKiB = Number(/peak-rss (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
  const size = (name: string) => statSync(join(reportDir, name)).size;
  return {
    peakMiB: peakKiB / 1024,
    seconds,
    json: size('drift-report.json'),
    md: size('drift-report.md'),
    junit: size('junit.xml'),
  };
}

const rounds = Number(values.rounds);
const rows: Array<{ what: string } & Awaited<ReturnType<typeof measure>>> = [];
for (let round = 0; round < rounds; round++) {
  // Alternated, so neither always runs on a warmer machine.
  const order = round % 2 === 0 ? [0, 90_000] : [90_000, 0];
  for (const n of order)
    rows.push({ what: n === 0 ? 'normal answer' : '90,000 undocumented fields', ...(await measure(n)) });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const of = (what: string) => rows.filter((r) => r.what === what);
for (const what of ['normal answer', '90,000 undocumented fields']) {
  const r = of(what);
  console.log(
    `${what.padEnd(28)} peak RSS ${median(r.map((x) => x.peakMiB)).toFixed(0)} MiB, ${median(r.map((x) => x.seconds)).toFixed(1)} s; ` +
      `drift-report.json ${(r[0]!.json / 1024).toFixed(0)} KiB, drift-report.md ${(r[0]!.md / 1024).toFixed(0)} KiB, junit.xml ${(r[0]!.junit / 1024).toFixed(0)} KiB`,
  );
}
const ratio =
  median(of('90,000 undocumented fields').map((x) => x.peakMiB)) / median(of('normal answer').map((x) => x.peakMiB));
console.log(
  `peak memory ratio (90,000 fields / normal): ${ratio.toFixed(2)}× (goal ≤ 1.25×, medians of ${rounds} rounds)`,
);
