/** The llama-swap simulator and the llama-server stand-in, for tests, demos and the e2e ground. */
export { createLlamaSwapSimulator } from './llama-swap-sim.js';
export type { LlamaSwapSimulator, LlamaSwapSimulatorOptions } from './llama-swap-sim.js';
export { createLlamaServerHandler, startLlamaServer } from './llama-server/llama-server-stub.js';
export type { LlamaServerHandler, LlamaServerOptions, RunningLlamaServer } from './llama-server/llama-server-stub.js';
export { DEFAULT_MODELS, DEFAULT_PROFILES, EXAMPLE_GROUPS } from './sim-config.js';
export type { SimGroupConfig, SimModelConfig, SimProfileConfig } from './sim-config.js';
export { DEFAULT_TIMINGS, isScenarioName, SCENARIO_NAMES } from './scenarios.js';
export type { ScenarioName, ScenarioTimings } from './scenarios.js';
