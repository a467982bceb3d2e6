// Runs the pinned Redocly CLI with the given arguments, without its Node 20 end-of-life banner and
// build-docs' Redoc 3 notice (see redocly-notices.ts). Everything else passes through, and the exit
// code is Redocly's. Telemetry and the update notice are off.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { noticeFilter } from './redocly-notices.js';

const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin/cli.js');

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'pipe'],
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
const stderr = noticeFilter((text) => process.stderr.write(text));
child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
child.on('close', (code, signal) => {
  stderr.end();
  process.exitCode = code ?? (signal ? 1 : 0);
});
