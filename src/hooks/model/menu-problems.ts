/** Plain-words problems with the action that fixes each one (pure). */
import type { ModelView, Problem } from '../../components/model.js';
import { API_KEY_ADVICE } from '../../system/paths.js';
import { isLocalApi } from '../../system/host-config.js';
import type { ApiError } from '../../system/types.js';
import type { MenuModelInput } from './menu-input.js';

/** True when the API address is this machine (kept in system/host-config.ts, which the CLI uses too). */
export { isLocalApi };

/** Where installing llama-swap is explained. */
export const INSTALL_DOCS_URL = 'https://github.com/mostlygeek/llama-swap#installation';

/** The API did not answer at all (as opposed to answering 401 or garbage). */
export function isDown(error: ApiError | null): boolean {
  return error !== null && (error.kind === 'unreachable' || error.kind === 'timeout');
}

/** llama-swap's API does not answer but its process runs: launchd knows its pid, or its process was read. */
export function llamaSwapRuns(input: Pick<MenuModelInput, 'service' | 'processes'>): boolean {
  return (input.service?.pid ?? null) !== null || (input.processes?.llamaSwap ?? null) !== null;
}

/**
 * "Not installed" only when nothing shows llama-swap exists: no process, no launchd job and no
 * program found (on PATH, in Homebrew's folders, or as the executable of a process seen before).
 */
export function llamaSwapMissing(input: Pick<MenuModelInput, 'service' | 'processes'>): boolean {
  const s = input.service;
  return s !== null && s.binaryPath === null && !s.installed && !llamaSwapRuns(input);
}

function serviceProblems(input: MenuModelInput, error: ApiError): Problem[] {
  const { service } = input;
  if (service === null) return [unreachable(input, error, false)];
  // It runs and does not answer: nothing to install or start, only to restart (when launchd can).
  if (llamaSwapRuns(input)) return [unreachable(input, error, service.installed)];
  const out: Problem[] = [];
  const missing = llamaSwapMissing(input);
  // What failed comes first (refused, timeout, TLS), the installation advice after it.
  if (missing || !service.configExists) out.push(unreachable(input, error, false));
  if (missing) {
    out.push({
      id: 'binary-missing',
      severity: 'error',
      message: 'llama-swap is not installed: no llama-swap program was found (PATH, Homebrew).',
      href: INSTALL_DOCS_URL,
    });
  }
  if (!service.configExists) {
    out.push({
      id: 'config-missing',
      severity: 'error',
      message: `llama-swap's configuration file ${service.configPath} does not exist.`,
      fix: { label: 'Create a starter configuration and open it', action: 'edit_config' },
    });
  }
  if (service.platform === 'macos' && !service.installed && !missing) {
    out.push({
      id: 'service-not-installed',
      severity: 'error',
      message: 'llama-swap is not installed as a service (no LaunchAgent), and nothing answers.',
      fix: { label: 'Install the LaunchAgent and start it', action: 'install_service' },
    });
  } else if (service.installed && service.pid === null) {
    out.push({
      id: 'service-stopped',
      severity: 'error',
      message: 'The llama-swap service is stopped.',
      fix: { label: 'Start llama-swap', action: 'do_start' },
    });
  } else if (out.length === 0) {
    out.push(unreachable(input, error, service.installed));
  }
  return out;
}

function unreachable(input: MenuModelInput, error: ApiError, restartable: boolean): Problem {
  // The HTTP layer's message names the address and what failed ("llama-swap at … refused the connection").
  const message = error.message.includes('llama-swap') ? error.message : `llama-swap does not answer at ${input.config.apiUrl} (${error.message})`;
  return {
    id: 'api-unreachable',
    severity: 'error',
    message: `${message}.`,
    fix: restartable ? { label: 'Restart llama-swap', action: 'do_restart' } : undefined,
  };
}

/**
 * llama-swap (or whatever listens at its address) answered, but not as llama-swap does: say it
 * once ("llama-swap answered HTTP 502" already names the culprit) and what to check.
 */
function answeredBadly(input: MenuModelInput, apiError: ApiError): Problem {
  const what = apiError.message.startsWith('llama-swap ') ? apiError.message : `llama-swap answered badly: ${apiError.message}`;
  const local = isLocalApi(input.config.apiUrl);
  const advice = local
    ? "Check that llama-swap itself listens there (not a proxy or another program) and read its log"
    : 'Check that llama-swap itself answers there (not a proxy or another program) and read its log on that machine';
  return {
    id: 'api-error',
    severity: 'error',
    message: `${what}. ${advice}.`,
    ...(local ? { fix: { label: "View llama-swap's log", action: 'view_logs' as const } } : {}),
  };
}

/** Every problem to show, errors first. */
export function buildProblems(input: MenuModelInput, apiError: ApiError | null, models: readonly ModelView[]): Problem[] {
  const out: Problem[] = [];
  if (apiError?.kind === 'unauthorized') {
    out.push({
      id: 'unauthorized',
      severity: 'error',
      message:
        input.config.apiKey === null
          ? `llama-swap requires an API key: ${API_KEY_ADVICE}.`
          : `llama-swap refused the API key: ${API_KEY_ADVICE}.`,
      fix: { label: 'Open the llama-swap configuration (its apiKeys)', action: 'edit_config' },
    });
  } else if (isDown(apiError) && apiError) {
    if (isLocalApi(input.config.apiUrl)) out.push(...serviceProblems(input, apiError));
    else out.push(unreachable(input, apiError, false));
  } else if (apiError) {
    out.push(answeredBadly(input, apiError));
  }
  // /running answered but the model list did not (too large, garbage): say so rather than
  // silently listing no configured models.
  // A refused list while /running answers is older than that answer (llama-swap was down when it
  // was asked): the menu would say "refused" under a title that says llama-swap runs.
  const list = input.models;
  if (apiError === null && input.running?.ok === true && list !== undefined && !list.ok && list.error.kind !== 'not-supported' && list.error.kind !== 'unreachable') {
    out.push({ id: 'models-list', severity: 'warning', message: `Configured models not listed: ${list.error.message}` });
  }
  for (const model of models) {
    if (model.metricsStatus !== 'disabled') continue;
    out.push({
      id: `metrics-disabled:${model.id}`,
      severity: 'warning',
      message: `Metrics are off for ${model.id}: add --metrics to its cmd in the llama-swap configuration.`,
      fix: { label: 'Edit the llama-swap configuration', action: 'edit_config' },
    });
  }
  const launchctlError = input.service?.launchctlError;
  if (launchctlError) out.push({ id: 'launchctl', severity: 'warning', message: `${launchctlError}.` });
  for (const warning of input.configWarnings) {
    // The message already starts with VARIABLE="value".
    out.push({ id: `config:${warning.variable}`, severity: 'warning', message: warning.message });
  }
  if (input.historyWarning !== null) {
    out.push({ id: 'history-file', severity: 'warning', message: input.historyWarning });
  }
  for (const [i, message] of (input.fileWarnings ?? []).entries()) {
    out.push({ id: `file-write:${i}`, severity: 'warning', message });
  }
  return out;
}
