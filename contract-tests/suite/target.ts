// What the suite runs against, read from the environment the drift runner (or a user) sets.
export type TargetKind = 'prism' | 'live' | 'proxy';

/** Variables the live and proxy targets cannot run without. */
export const REQUIRED_VARS = ['DIDIT_API_KEY', 'DIDIT_SESSION_ID', 'DIDIT_FOR_APPLICATION_ID'] as const;

/** Optional variables, each enabling more checks. */
export const OPTIONAL_VARS = {
  DIDIT_UNFINISHED_SESSION_ID: 'a session of the application that is not finished',
  DIDIT_BUSINESS_SESSION_ID: 'a finished KYB session of the application',
  DIDIT_READONLY_API_KEY: 'a key of the application without the write:sessions privilege',
  DIDIT_PARTNER_API_KEY: "the partner application's key (with DIDIT_PARTNER_WORKFLOW_ID: opts in the import round trip)",
  DIDIT_PARTNER_WORKFLOW_ID: "a KYC workflow of the partner application (with DIDIT_PARTNER_API_KEY: opts in the import round trip)",
  DIDIT_PARTNER_READONLY_API_KEY: 'a key of the partner application without the write:sessions privilege (the "import needs write:sessions" check)',
  DIDIT_WORKFLOW_ID: "a KYC workflow of the sharing application: isolates the \"token for another application\" check from the workflow lookup",
} as const;

export type Variable = (typeof REQUIRED_VARS)[number] | keyof typeof OPTIONAL_VARS;

export const DEFAULT_BASE_URL = 'https://verification.didit.me';

export interface Target {
  kind: TargetKind;
  /** Where the suite sends its requests (for `proxy`, Prism's proxy in front of the service). */
  baseUrl: string;
  /** The service itself (for `prism` and `live`, the same as baseUrl). */
  upstreamUrl: string;
  get(name: Variable): string | undefined;
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const kind = (env.DRIFT_TARGET ?? 'live') as TargetKind;
  const upstreamUrl = (env.DIDIT_BASE_URL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  return {
    kind,
    baseUrl: (env.DRIFT_REQUEST_URL || upstreamUrl).replace(/\/+$/, ''),
    upstreamUrl,
    get: (name) => env[name] || undefined,
  };
}

export const missingRequired = (env: NodeJS.ProcessEnv = process.env) => REQUIRED_VARS.filter((name) => !env[name]);
