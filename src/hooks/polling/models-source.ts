/** Configured models and profiles: plain API lists, polled slowly (they change with the config). */
import type { ConfiguredModel, Profiles, Result } from '../../system/types.js';
import { safely, stampedFlight, type PollContext, type Stamped } from './poll-context.js';

export type ModelsSource = {
  readonly models: () => Promise<Stamped<Result<readonly ConfiguredModel[]>>>;
  readonly profiles: () => Promise<Stamped<Result<Profiles>>>;
};

export function createModelsSource(ctx: PollContext): ModelsSource {
  return {
    models: stampedFlight(ctx, () => safely(() => ctx.deps.api.models())),
    profiles: stampedFlight(ctx, () => safely(() => ctx.deps.api.profiles())),
  };
}
