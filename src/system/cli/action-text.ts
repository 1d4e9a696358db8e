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

/**
 * What the menu shows the moment an action is clicked, before any answer from llama-swap
 * ("Unloading "qwen"…"); null for actions that finish at once (open, refresh). `id` is the
 * decoded argument, if any.
 */
export function progressText(action: string, id: string | undefined): string | null {
  switch (action) {
    case 'do_unload_model': return `Unloading ${showId(id ?? '')}…`;
    case 'do_unload': return 'Unloading every model…';
    case 'do_load_model': return `Loading ${showId(id ?? '')}…`;
    case 'do_cancel_request': return `Cancelling request ${/^[0-9]{1,20}$/.test(id ?? '') ? (id ?? '') : showId(id ?? '')}…`;
    case 'do_stop': return 'Stopping llama-swap…';
    case 'do_start': return 'Starting llama-swap…';
    case 'do_restart': return 'Restarting llama-swap…';
    case 'set_profile': return 'Switching profile…';
    case 'install_service': return 'Installing the service…';
    case 'uninstall_service': return 'Removing the service…';
    default: return null;
  }
}
