// The drift run's target, built once before the suite runs: Prism started for `prism` and `proxy`,
// the variables checked for shape before anything is sent (ids are UUIDs; DIDIT_BASE_URL an origin,
// https unless loopback, so the key never leaves in clear), DIDIT_BASE_URL probed within the run's
// deadline. Anything that stops it is CannotRun (exit 2).
import { type PrismProcess, startPrism } from '../spec-kit/prism.js';
import { type JsonObject, loadSpec } from '../spec-kit/spec.js';
import { firstExample, operationById } from '../spec-kit/spec-examples.js';
import { DEFAULT_BASE_URL } from '../src/options.js';
import {
  missingRequired,
  OPTIONAL_VARS,
  type TargetConfig,
  type TargetKind,
  type Variable,
  variablesOf,
} from './suite/target.js';

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

const PROBE_TIMEOUT_MS = 10_000;

/** Any HTTP answer will do; only a network failure means the target is unreachable. Bounded by the run's `stop`. */
async function assertReachable(baseUrl: string, stop?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const response = await fetch(baseUrl, {
      method: 'HEAD',
      redirect: 'manual',
      signal: stop ? AbortSignal.any([stop, timeout]) : timeout,
    });
    await response.body?.cancel().catch(() => {});
  } catch (error) {
    if (stop?.aborted) throw new CannotRun(`${String(stop.reason)} (while probing ${baseUrl})`);
    const reason = timeout.aborted
      ? `no answer within ${PROBE_TIMEOUT_MS / 1000} s`
      : error instanceof Error && error.cause instanceof Error
        ? error.cause.message
        : String(error);
    throw new CannotRun(`${baseUrl} is unreachable (${reason}). Check DIDIT_BASE_URL and the network.`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The variables that name a session, an application or a workflow: UUIDs on the service.
const UUID_VARIABLES: Variable[] = [
  'DIDIT_SESSION_ID',
  'DIDIT_FOR_APPLICATION_ID',
  'DIDIT_UNFINISHED_SESSION_ID',
  'DIDIT_BUSINESS_SESSION_ID',
  'DIDIT_PARTNER_WORKFLOW_ID',
  'DIDIT_WORKFLOW_ID',
];

/** Every id variable that is set but not a UUID, each with what to do (their values are ids, not secrets). */
export function malformedIds(variables: TargetConfig['variables']): string[] {
  return UUID_VARIABLES.filter((name) => variables[name] !== undefined && !UUID.test(variables[name]!.trim())).map(
    (name) =>
      `${name} is not a UUID (got ${JSON.stringify(variables[name]!.slice(0, 60))}): set it to the id as the Didit console shows it, e.g. 11111111-2222-4333-8444-555555555555`,
  );
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * DIDIT_BASE_URL, checked: an http(s) origin (no path, query or fragment: the suite adds /v3/…),
 * https unless on loopback (the key is sent with every request), without credentials (never repeated
 * back, not even in these messages).
 */
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
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new CannotRun(
      `DIDIT_BASE_URL must be an https: URL (got ${url.protocol}): e.g. https://verification.didit.me`,
    );
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname))
    throw new CannotRun(
      `DIDIT_BASE_URL is plain http: to ${url.hostname}, which is not loopback: the API key would leave in clear. Set it to https://${url.host}`,
    );
  if (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash)
    throw new CannotRun(
      `DIDIT_BASE_URL must be the API's origin, without a path (got the path ${JSON.stringify(url.pathname.slice(0, 80))}${url.search || url.hash ? ' and a query or fragment' : ''}): the suite adds /v3/… itself. Set it to ${url.origin}`,
    );
  return url.origin;
}

/** The run's target, built once: its URLs and variables (the mock's from the spec's own examples). */
export async function prepareTarget(
  kind: TargetKind,
  specPath: string,
  env: Environment,
  started: (prism: PrismProcess) => void,
  stop?: AbortSignal,
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
  const malformed = malformedIds(variables);
  if (malformed.length > 0) throw new CannotRun(malformed.join('\n'));
  const upstreamUrl = baseUrlFrom(env);
  await assertReachable(upstreamUrl, stop);
  if (kind === 'live') return { kind, baseUrl: upstreamUrl, upstreamUrl, variables };
  const prism = await startPrism({ mode: 'proxy', upstream: upstreamUrl, specPath }).catch((e: Error) => {
    throw new CannotRun(`Prism (proxy) failed to start: ${e.message}`);
  });
  started(prism);
  return { kind, baseUrl: prism.baseUrl, upstreamUrl, variables };
}
