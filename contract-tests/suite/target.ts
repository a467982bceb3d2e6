// What the suite runs against: the target kind, its URLs and the variables of the run.
export type TargetKind = 'prism' | 'live' | 'proxy';

/** Variables the live and proxy targets cannot run without. */
export const REQUIRED_VARS = ['DIDIT_API_KEY', 'DIDIT_SESSION_ID', 'DIDIT_FOR_APPLICATION_ID'] as const;

/** Optional variables, each enabling more checks. */
export const OPTIONAL_VARS = {
  DIDIT_UNFINISHED_SESSION_ID: 'a session of the application that is not finished',
  DIDIT_BUSINESS_SESSION_ID: 'a finished KYB session of the application',
  DIDIT_READONLY_API_KEY: 'a key of the application without the write:sessions privilege',
  DIDIT_PARTNER_API_KEY:
    "the partner application's key (with DIDIT_PARTNER_WORKFLOW_ID: opts in the import round trip)",
  DIDIT_PARTNER_WORKFLOW_ID:
    'a KYC workflow of the partner application (with DIDIT_PARTNER_API_KEY: opts in the import round trip)',
  DIDIT_PARTNER_READONLY_API_KEY:
    'a key of the partner application without the write:sessions privilege (the "import needs write:sessions" check)',
  DIDIT_WORKFLOW_ID:
    'a KYC workflow of the sharing application: isolates the "token for another application" check from the workflow lookup, and the hop back imports into it (the next run\'s fresh session)',
  DIDIT_PARTNER_KYB_WORKFLOW_ID:
    'a KYB workflow of the partner application (with DIDIT_PARTNER_API_KEY and DIDIT_BUSINESS_SESSION_ID: opts in the KYB import)',
  DIDIT_KYB_WORKFLOW_ID:
    "a KYB workflow of the sharing application: the KYB hop back imports into it (the next run's fresh KYB session)",
} as const;

export type Variable = (typeof REQUIRED_VARS)[number] | keyof typeof OPTIONAL_VARS;

/** What a drift run targets, built once by the drift runner and handed to the suite (vitest `provide`). */
export interface TargetConfig {
  kind: TargetKind;
  /** Where the suite sends its requests (for `proxy`, Prism's proxy in front of the service). */
  baseUrl: string;
  /** The service itself (for `prism` and `live`, the same as baseUrl). */
  upstreamUrl: string;
  /** The DIDIT_* variables the run was given (API keys and ids). */
  variables: Partial<Record<Variable, string>>;
  /** The state file (contract-tests/state.ts): the sessions a run leaves the next one. None: nothing kept. */
  statePath?: string;
}

export interface Target extends TargetConfig {
  get(name: Variable): string | undefined;
}

export const DEFAULT_TARGET: TargetKind = 'prism';

const VARIABLES: Variable[] = [...REQUIRED_VARS, ...(Object.keys(OPTIONAL_VARS) as Variable[])];

/** The run's variables out of an environment (empty values count as unset). */
export const variablesOf = (env: Record<string, string | undefined>): TargetConfig['variables'] =>
  Object.fromEntries(VARIABLES.filter((name) => env[name]).map((name) => [name, env[name]!]));

export function targetOf(config: TargetConfig): Target {
  return { ...config, get: (name) => config.variables[name] || undefined };
}

export const missingRequired = (variables: TargetConfig['variables']) =>
  REQUIRED_VARS.filter((name) => !variables[name]);
