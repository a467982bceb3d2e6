// The two operations, typed from the generated `paths`: what each sends, how it may be retried and
// what its success body must be. `sessions.*` and `raw` build their request plans from here alone.
import type { paths } from '../generated/schema.js';
import {
  fieldsOfImportSharedSessionResponse,
  fieldsOfShareSessionResponse,
  validateImportSharedSessionResponse,
  validateShareSessionResponse,
} from '../generated/validators.js';
import type { BodySchema, Operation } from './drift-findings.js';
import type { RequestPlan } from './transport.js';

/** A path of the API (both take POST). */
export type ApiPath = keyof paths;
type Post<P extends ApiPath> = paths[P]['post'];
/** The JSON body a path takes. */
export type RequestBody<P extends ApiPath> = Post<P>['requestBody']['content']['application/json'];
/** The path parameters a path takes (`{ sessionId }`), or `undefined` when it has none. */
export type PathParams<P extends ApiPath> = Post<P>['parameters']['path'];

type Responses<P extends ApiPath> = Post<P>['responses'];
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessStatus<P extends ApiPath> = Extract<keyof Responses<P>, 200 | 201>;
/** The JSON body of a path's documented success. */
export type SuccessBody<P extends ApiPath> = JsonOf<Responses<P>[SuccessStatus<P>]>;
/** The JSON body of any of a path's documented failures. */
export type ErrorBody<P extends ApiPath> = JsonOf<Responses<P>[Exclude<keyof Responses<P>, SuccessStatus<P>>]>;

/** How each operation is called: its method's name, whether it may be repeated, its success body. */
const OPERATIONS: {
  [P in ApiPath]: { op: string; operation: Operation; idempotent: boolean; schema: BodySchema<SuccessBody<P>> };
} = {
  // share only mints a new token: repeating it is harmless.
  '/v3/session/{sessionId}/share/': {
    op: 'share',
    operation: 'shareSession',
    idempotent: true,
    schema: {
      name: 'ShareSessionResponse',
      validate: validateShareSessionResponse,
      fields: fieldsOfShareSessionResponse,
    },
  },
  // A token redeems once: after no response, the import may have landed.
  '/v3/session/import-shared/': {
    op: 'importShared',
    operation: 'importSharedSession',
    idempotent: false,
    schema: {
      name: 'ImportSharedSessionResponse',
      validate: validateImportSharedSessionResponse,
      fields: fieldsOfImportSharedSessionResponse,
    },
  },
};

type Operations = typeof OPERATIONS;
/** What the client knows of one operation: its method's name, whether it may be repeated, its success body. */
export type OperationInfo = Operations[ApiPath];

// The two paths, below any gateway prefix, and nothing after them but a query or a fragment.
const SHARE_PATH = /\/v3\/session\/[^/?#]+\/share\/(?:[?#]|$)/;
const IMPORT_PATH = /\/v3\/session\/import-shared\/(?:[?#]|$)/;

/** The operation a request is, from its method and URL; undefined for any other request. */
export function operationOf(method: string, url: string): OperationInfo | undefined {
  if (method.toUpperCase() !== 'POST') return;
  if (IMPORT_PATH.test(url)) return OPERATIONS['/v3/session/import-shared/'];
  if (SHARE_PATH.test(url)) return OPERATIONS['/v3/session/{sessionId}/share/'];
}

/** The plan to POST `body` to `path` with `params` filled in, hiding `apiKey` and any token sent. */
export function planFor<P extends ApiPath>(
  path: P,
  params: PathParams<P>,
  body: RequestBody<P>,
  apiKey: string,
): RequestPlan<SuccessBody<P>> {
  const values = (params ?? {}) as Record<string, unknown>;
  return {
    ...OPERATIONS[path],
    path: path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name]))),
    body,
    secrets: [apiKey, (body as { share_token?: string } | null)?.share_token],
  };
}
