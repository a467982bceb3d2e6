// The drift run's target, built once before the suite runs: Prism started for `prism` and `proxy`,
// the variables checked, DIDIT_BASE_URL checked and probed. Anything that stops it is CannotRun (exit 2).
import { startPrism, type PrismProcess } from '../spec-kit/prism.js';
import { firstExample, operationById } from '../spec-kit/spec-examples.js';
import { loadSpec, type JsonObject } from '../spec-kit/spec.js';
import { DEFAULT_BASE_URL } from '../src/options.js';
import { OPTIONAL_VARS, missingRequired, variablesOf, type TargetConfig, type TargetKind } from './suite/target.js';

export const TARGETS: TargetKind[] = ['prism', 'live', 'proxy'];

export class CannotRun extends Error {}

export type Environment = Record<string, string | undefined>;

/** Inputs for Prism taken from the spec's own examples, so the mock answers them as documented. */
function prismEnv(specPath: string): Record<string, string> {
  const spec = loadSpec(specPath);
  return {
    DIDIT_API_KEY: 'prism-mock-key',
    DIDIT_SESSION_ID: String((operationById(spec, 'shareSession').parameters as JsonObject[])[0]!.example),
    DIDIT_FOR_APPLICATION_ID: String(firstExample(spec, 'shareSession', 'request').for_application_id),
    DIDIT_PARTNER_API_KEY: 'prism-mock-partner-key',
    DIDIT_PARTNER_WORKFLOW_ID: String(firstExample(spec, 'importSharedSession', 'request').workflow_id),
  };
}

/** Any HTTP answer will do; only a network failure means the target is unreachable. */
async function assertReachable(baseUrl: string): Promise<void> {
  try {
    await fetch(baseUrl, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CannotRun(`${baseUrl} is unreachable (${reason}). Check DIDIT_BASE_URL and the network.`);
  }
}

/** DIDIT_BASE_URL, checked: a URL without credentials (never repeated back, not even in this message). */
export function baseUrlFrom(env: Environment): string {
  const raw = env.DIDIT_BASE_URL || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CannotRun(
      'DIDIT_BASE_URL is not a URL: set it to the service origin, e.g. https://verification.didit.me',
    );
  }
  if (url.username || url.password)
    throw new CannotRun(
      'DIDIT_BASE_URL must not hold credentials (user:password@): remove them; the API key is the only credential',
    );
  return raw.replace(/\/+$/, '');
}

/** The run's target, built once: its URLs and variables (the mock's from the spec's own examples). */
export async function prepareTarget(
  kind: TargetKind,
  specPath: string,
  env: Environment,
  started: (prism: PrismProcess) => void,
): Promise<TargetConfig> {
  if (kind === 'prism') {
    const prism = await startPrism({ mode: 'mock', specPath }).catch((e: Error) => {
      throw new CannotRun(`Prism failed to start: ${e.message}`);
    });
    started(prism);
    return { kind, baseUrl: prism.baseUrl, upstreamUrl: prism.baseUrl, variables: prismEnv(specPath) };
  }
  const variables = variablesOf(env);
  const missing = missingRequired(variables);
  if (missing.length > 0) {
    const optional = Object.entries(OPTIONAL_VARS)
      .map(([name, what]) => `  ${name}: ${what}`)
      .join('\n');
    throw new CannotRun(
      `--target ${kind} needs ${missing.join(', ')} in the environment.\nOptional, each enabling more checks:\n${optional}`,
    );
  }
  const upstreamUrl = baseUrlFrom(env);
  await assertReachable(upstreamUrl);
  if (kind === 'live') return { kind, baseUrl: upstreamUrl, upstreamUrl, variables };
  const prism = await startPrism({ mode: 'proxy', upstream: upstreamUrl, specPath }).catch((e: Error) => {
    throw new CannotRun(`Prism (proxy) failed to start: ${e.message}`);
  });
  started(prism);
  return { kind, baseUrl: prism.baseUrl, upstreamUrl, variables };
}
