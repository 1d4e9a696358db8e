/**
 * The CLI's default adapters to H3's modules, loaded by dynamic import so service actions
 * never pay for the HTTP client and its schemas.
 */
import type { ActionClient } from './actions.js';
import type { ConfigReader } from './cli.js';
import { readConfig } from '../config.js';
import { createLlamaSwapClient } from '../llama-swap/llama-swap-client.js';
import type { PluginConfig } from '../types.js';

/** readConfig from src/system/config.ts. */
export const defaultReadConfig: ConfigReader = (env, options) => readConfig(env, options);

/** The llama-swap client for a configuration. */
export function defaultClient(config: PluginConfig): ActionClient {
  return createLlamaSwapClient({
    apiUrl: config.apiUrl,
    apiPort: config.apiPort,
    apiTimeoutMs: config.apiTimeoutMs,
    apiKey: config.apiKey,
  });
}
