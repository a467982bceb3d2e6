// npm run bench: time per share() call of this client (sessions.* and raw, openapi-fetch on diditFetch)
// vs bare openapi-fetch vs bare fetch vs undici's request, against a loopback server in its own
// process; sequential and at concurrency 32, in interleaved rounds (each round runs every contender,
// in a rotated order), reporting per-call medians with min/max, the ratios to bare openapi-fetch
// (and per round, paired), and the bundle sizes.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import createClient from 'openapi-fetch';
import { request } from 'undici';
import type { paths } from '../generated/schema.js';
import { fieldsOfShareSessionResponse, validateShareSessionResponse } from '../generated/validators.js';
import { findDrift } from '../src/drift-findings.js';
import { createDiditClient, diditFetch } from '../src/index.js';
import { gzipped, SIZES } from './size.js';

const ROUNDS = 9; // the first is warm-up, not counted
const SEQUENTIAL = 400;
const CONCURRENT = 1600;
const CONCURRENCY = 32;

const server = fork(new URL('./server.ts', import.meta.url).pathname, { execArgv: ['--import', 'tsx'] });
const [port] = (await once(server, 'message')) as [number];
const baseUrl = `http://127.0.0.1:${port}`;
const apiKey = 'bench_key_0123456789';
const sessionId = '11111111-2222-3333-4444-555555555555';
const body = { for_application_id: 'a5f3bca2-46e2-411e-90ef-a580900a57ee', ttl_in_seconds: 7200 };
const url = `${baseUrl}/v3/session/${sessionId}/share/`;
const headers = { 'x-api-key': apiKey, 'content-type': 'application/json' };

const bare = createClient<paths>({ baseUrl, headers: { 'x-api-key': apiKey }, redirect: 'manual' });
const off = createDiditClient({ apiKey, baseUrl });
const on = createDiditClient({ apiKey, baseUrl, validateResponses: true });
let findings = 0; // the body is the spec's, so onDrift is never called: its cost is the checking alone
const drift = createDiditClient({ apiKey, baseUrl, onDrift: () => void findings++ });
const answer: unknown = await off.sessions.share(sessionId, body); // the body onDrift's own work is timed on
// A user's own openapi-fetch client on diditFetch (raw without the key already on its Request).
const own = createClient<paths>({ baseUrl, fetch: diditFetch({ apiKey }) });
const share = { params: { path: { sessionId } }, body };
const posted = async (client: typeof bare, name: string) => {
  const { data, error } = await client.POST('/v3/session/{sessionId}/share/', share);
  if (error || !data) throw new Error(`${name} failed`);
  return data;
};

const contenders: Record<string, () => Promise<unknown>> = {
  "undici's request": async () =>
    (await request(url, { method: 'POST', headers, body: JSON.stringify(body) })).body.json(),
  'bare fetch': async () =>
    (await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), redirect: 'manual' })).json(),
  'bare openapi-fetch': () => posted(bare, 'bare openapi-fetch'),
  'client, validateResponses off': () => off.sessions.share(sessionId, body),
  'client, validateResponses on': () => on.sessions.share(sessionId, body),
  'client, onDrift set': () => drift.sessions.share(sessionId, body),
  'raw.POST': () => posted(off.raw, 'raw.POST'),
  'openapi-fetch on diditFetch': () => posted(own, 'openapi-fetch on diditFetch'),
};
const names = Object.keys(contenders);
const BASELINE = 'bare openapi-fetch';

async function sequential(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await call();
  return ((performance.now() - started) * 1000) / SEQUENTIAL;
}
async function concurrent(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let left = CONCURRENT;
  const worker = async () => {
    while (left-- > 0) await call();
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ((performance.now() - started) * 1000) / CONCURRENT;
}

const modes = { sequential, [`concurrency ${CONCURRENCY}`]: concurrent };
const calls: Record<string, number> = { sequential: SEQUENTIAL, [`concurrency ${CONCURRENCY}`]: CONCURRENT };
// Wall time per call, and this process's CPU time per call (steadier on a box others load).
const samples: Record<string, Record<string, number[]>> = {};
const cpuSamples: Record<string, Record<string, number[]>> = {};
for (const mode of Object.keys(modes)) {
  samples[mode] = Object.fromEntries(names.map((n) => [n, []]));
  cpuSamples[mode] = Object.fromEntries(names.map((n) => [n, []]));
}
const benchStarted = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  for (const [mode, measure] of Object.entries(modes)) {
    // Rotated each round, and reversed every other one: a contender that always ran right after another
    // inherited its garbage and JIT state (measured: onDrift read 1.07–1.13× when it followed the plain
    // client, 0.98× when it preceded it), so each pair is seen in both orders.
    const rotated = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of round % 2 ? rotated.reverse() : rotated) {
      const cpuBefore = process.cpuUsage();
      const perCall = await measure(contenders[name]!);
      const cpu = process.cpuUsage(cpuBefore);
      if (round > 0) {
        samples[mode]![name]!.push(perCall);
        cpuSamples[mode]![name]!.push((cpu.user + cpu.system) / calls[mode]!);
      }
    }
  }
}
server.disconnect();

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const us = (n: number) => `${n.toFixed(0)} µs`;
console.log(
  `didit-share bench: POST share against a loopback server (own process), ${ROUNDS - 1} counted rounds of ${SEQUENTIAL} sequential and ${CONCURRENT} calls at concurrency ${CONCURRENCY}; Node ${process.version}\n`,
);
for (const mode of Object.keys(modes)) {
  const base = median(samples[mode]![BASELINE]!);
  console.log(`${mode} — time per call: median [min … max], ratio to ${BASELINE}`);
  for (const name of names) {
    const values = samples[mode]![name]!;
    const m = median(values);
    console.log(
      `  ${name.padEnd(32)} ${us(m).padStart(8)}  [${us(Math.min(...values))} … ${us(Math.max(...values))}]  ${(m / base).toFixed(2)}×`,
    );
  }
  // Paired by round (both ran in it, under the same load): the median of the per-round ratios.
  const paired = (name: string, to: string, of = samples) => {
    const times = of[mode]![to]!;
    return median(of[mode]![name]!.map((t, i) => t / times[i]!)).toFixed(3);
  };
  console.log(`  per round, paired (median of the ratios): wall [CPU]`);
  for (const [name, to, goal] of [
    ['client, validateResponses off', BASELINE, '≤ 1.00×'],
    ['client, validateResponses on', BASELINE, '≤ 1.00×'],
    ['raw.POST', BASELINE, '≤ 1.15×'],
    ['openapi-fetch on diditFetch', BASELINE, '≤ 1.15×'],
    ['client, onDrift set', 'client, validateResponses off', '≤ 1.05×'],
  ] as const)
    console.log(
      `    ${`${name} / ${to}`.padEnd(58)} ${paired(name, to)}× [${paired(name, to, cpuSamples)}×]  (goal ${goal})`,
    );
  console.log('');
}
// onDrift's own work, without the network's noise: what a call with it set adds (validating the body
// and walking its fields), against the client's sequential time per call.
{
  const schema = {
    name: 'ShareSessionResponse',
    validate: validateShareSessionResponse,
    fields: fieldsOfShareSessionResponse,
  };
  const N = 200_000;
  const started = performance.now();
  for (let i = 0; i < N; i++)
    findDrift('shareSession', schema, validateShareSessionResponse(answer) ? null : [], answer, [apiKey]);
  const added = ((performance.now() - started) * 1000) / N;
  const perCall = median(samples.sequential!['client, validateResponses off']!);
  console.log(
    `onDrift's own work: ${added.toFixed(2)} µs per call = ${(1 + added / perCall).toFixed(4)}× the client's sequential time\n`,
  );
}
if (findings) throw new Error(`onDrift was called ${findings} times: the bench's body drifted from the spec`);
console.log(`(${((performance.now() - benchStarted) / 1000).toFixed(1)} s of timing)\n`);

console.log('bundle size (esbuild --bundle --minify, ESM; gzip -9):');
for (const [label, entry] of Object.entries(SIZES)) {
  const { min, gz } = await gzipped(entry);
  console.log(`  ${label.padEnd(80)} ${String(min).padStart(6)} B min  ${String(gz).padStart(5)} B gz`);
}
console.log(
  'goals: sessions.* ≤ 1.00× bare openapi-fetch (validation off and on), raw ≤ 1.15×, onDrift ≤ 1.05× without it; the bundle is a figure, not a budget (the client runs on servers only)',
);
