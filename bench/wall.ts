// npm run bench:wall -- [--runs N] [--hogs K] [--log FILE] [-- command…]: wall and CPU time of a command run N
// times in a row (default: `npm run drift`, against Prism), optionally beside K CPU-bound competitors
// (busy Node loops, stopped after). Prints the median with min and max, the CPU the command used
// (its processes' user + system time, from /proc), and the load average it ran under. The issue's
// figures: `npm run drift` on Prism ≤ 5 s; `npm test` (--runs 1 -- npm test) ≤ 60 s, also with --hogs 2.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    hogs: { type: 'string', default: '0' },
    /** Where the command's output goes (the last run's), to read a failure; default nowhere. */
    log: { type: 'string' },
  },
  allowPositionals: true,
});
const command =
  positionals.length > 0 ? positionals : ['npm', 'run', '-s', 'drift', '--', '--report-dir', '/tmp/bench-wall'];
const runs = Number(values.runs);
const hogs: ChildProcess[] = Array.from({ length: Number(values.hogs) }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);

/** User + system seconds of this process's waited-for children (fields 16 and 17 of /proc/self/stat). */
function childrenCpuS(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks, 100 a second on Linux
  } catch {
    return undefined;
  }
}

function once(): Promise<{ wallS: number; code: number | null }> {
  const started = performance.now();
  const out = values.log ? openSync(values.log, 'w') : 'ignore';
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', out, values.log ? out : 'inherit'] });
  return new Promise((resolve) =>
    child.on('exit', (code) => resolve({ wallS: (performance.now() - started) / 1000, code })),
  );
}

const walls: number[] = [];
const cpus: number[] = [];
const codes = new Set<number | null>();
const loadBefore = loadavg()[0]!;
try {
  for (let i = 0; i < runs; i++) {
    const cpuBefore = childrenCpuS();
    const { wallS, code } = await once();
    const cpuAfter = childrenCpuS();
    walls.push(wallS);
    if (cpuBefore !== undefined && cpuAfter !== undefined) cpus.push(cpuAfter - cpuBefore);
    codes.add(code);
  }
} finally {
  for (const hog of hogs) hog.kill();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${x.toFixed(1)} s`;
console.log(
  [
    `${command.join(' ')}: ${runs} run(s), ${hogs.length} CPU-bound competitor(s), exit ${[...codes].join('/')}`,
    `  wall  median ${s(median(walls))} (min ${s(Math.min(...walls))}, max ${s(Math.max(...walls))})`,
    ...(cpus.length > 0 ? [`  cpu   median ${s(median(cpus))} (user + system, the command's processes)`] : []),
    `  load  ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after (1-minute average, ${availableParallelism()} cores)`,
  ].join('\n'),
);
