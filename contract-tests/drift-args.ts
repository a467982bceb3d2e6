// The drift CLI's arguments: usage text, parsing (with a hint for a forgotten `--`) and number checks.
// Errors are plain: the CLI turns any error before the run into exit 2 with a report saying why.
import { parseArgs } from 'node:util';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { DEFAULT_BASE_URL } from '../src/options.js';
import { DEFAULT_TARGET, OPTIONAL_VARS } from './suite/target.js';

export const USAGE = `Usage: npm run drift -- [options]   (npm needs the -- before the options)

  --target prism|live|proxy   prism (default): the spec's own mock; live: a deployment; proxy: live through prism proxy --errors
  --report-dir DIR            where drift-report.json, drift-report.md and junit.xml go (default reports)
  --spec PATH                 the spec to hold the target to (default spec/openapi.yaml)
  --deadline SECONDS          the whole run's budget (default 600); past it: partial report, exit 2
  --request-timeout SECONDS   per request (default 15)
  --max-body BYTES            per answer (default 1048576); past it: exit 2
  --state PATH                where the run keeps the sessions the next run imports, ids only
                              (default REPORT-DIR/drift-state.json; keep it between nightly runs)
  --list                      print the checks (id, operation, target, variables, rule) and exit
  --help                      this text

Variables (live and proxy): DIDIT_API_KEY, DIDIT_SESSION_ID, DIDIT_FOR_APPLICATION_ID (required);
DIDIT_BASE_URL (default ${DEFAULT_BASE_URL}); optional, each enabling more checks:
${Object.entries(OPTIONAL_VARS)
  .map(([name, what]) => `  ${name}: ${what}`)
  .join('\n')}

Exit codes: 0 no breaking drift · 1 breaking drift · 2 could not run (the report's "incomplete" says why)`;

const OPTIONS = {
  target: { type: 'string', default: DEFAULT_TARGET },
  'report-dir': { type: 'string', default: 'reports' },
  spec: { type: 'string', default: SPEC_PATH },
  deadline: { type: 'string', default: '600' },
  'request-timeout': { type: 'string', default: '15' },
  'max-body': { type: 'string', default: '1048576' },
  state: { type: 'string' },
  list: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

export function parseDriftArgs(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS }).values;
  } catch (error) {
    // `npm run drift --target live` hands the script only "live": npm took --target for itself.
    throw new Error(
      `${(error as Error).message}. Did you mean: npm run drift -- --target live ? (npm needs -- before the script's options; --help lists them)`,
    );
  }
}

export const positive = (name: string, value: string) => {
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} takes a positive number (got "${value}")`);
  return n;
};
