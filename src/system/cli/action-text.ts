/** How actions name ids and API failures in their one-line messages. */
import type { ServiceOutcome } from '../service/launch-agent.js';
import type { ApiError } from '../types.js';

/** An id as shown in messages: quoted and escaped, so hostile text stays on one line. */
export function showId(id: string): string {
  const q = JSON.stringify(id);
  return q.length > 82 ? `${q.slice(0, 80)}…"` : q;
}

export function apiFailure(what: string, error: ApiError): ServiceOutcome {
  // The HTTP layer's 401 message already says which setting to check: no second hint.
  return { ok: false, message: `${what}: ${error.message}` };
}
