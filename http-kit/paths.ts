// The two paths the drift check and the tests send to, typed from the spec's `paths`: a path
// renamed in spec/openapi.yaml fails the typecheck here instead of sending to a path that is gone.
import type { paths } from '../generated/schema.js';

const SHARE_PATH = '/v3/session/{sessionId}/share/' satisfies keyof paths;

export const IMPORT_PATH = '/v3/session/import-shared/' satisfies keyof paths;

/** The share path for one session (the id as given: a check may send one the spec refuses). */
export const sharePath = (sessionId: string): string => SHARE_PATH.replace('{sessionId}', () => sessionId);
