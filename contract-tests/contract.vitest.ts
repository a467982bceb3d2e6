// The contract suite as vitest tests, for teams who watch it in vitest (its UI, its reporters): one
// `it` per check, run by the same engine pieces as `npm run drift` (contract-tests/engine.ts), against
// the environment of `npm run drift -- --target live` (DIDIT_BASE_URL and the DIDIT_* variables).
// Run: npm run drift:vitest (or npx vitest --config contract-tests/vitest.contract.config.ts --ui).
// Not part of npm test: it needs a live target. The checks run in file order (the CLI runs the lanes
// side by side); a check that cannot run skips the rest, as in the CLI.
import { describe, it } from 'vitest';
import { SPEC_PATH } from '../spec-kit/spec.js';
import { prepareTarget } from './drift-target.js';
import { LANES, prepareRun } from './engine.js';
import { runCheck, timeLimitMs } from './run-check.js';
import { defaultStatePath } from './state.js';

// The CLI's default state file (reports/drift-state.json): the hop's next session is kept as by npm run drift.
const target = {
  ...(await prepareTarget('live', SPEC_PATH, process.env, () => {})),
  statePath: defaultStatePath('reports'),
};
const { run, lanes, errors, stop, clock } = prepareRun({ target });
if (errors.length > 0) throw new Error(`the suite itself failed:\n  ${errors.join('\n  ')}`);

Object.keys(LANES).forEach((name, i) => {
  describe(name, () => {
    for (const c of lanes[i]!) {
      // The engine's own time limit decides; vitest's is only a little longer, so it never cuts a check short.
      it(c.id, { timeout: timeLimitMs(c, run) + 5_000 }, async (context) => {
        if (stop.signal.aborted) return context.skip(`not run: ${String(stop.signal.reason)}`);
        const result = await runCheck(c, run, { stop: stop.signal, clock });
        if (!result) return context.skip(`not run: ${String(stop.signal.reason)}`);
        for (const f of result.findings) context.annotate(`${f.severity}: ${f.message}`, f.severity);
        if (result.unavailable) {
          stop.abort(result.unavailable);
          throw new Error(`could not run (not drift): ${result.unavailable}`);
        }
        if (result.state === 'skipped') return context.skip(result.reason);
        const breaking = result.findings.filter((f) => f.severity === 'breaking');
        if (result.error) throw new Error(`the check itself failed: ${result.error}`);
        if (breaking.length > 0) throw new Error(breaking.map((f) => f.message).join('\n'));
      });
    }
  });
});
