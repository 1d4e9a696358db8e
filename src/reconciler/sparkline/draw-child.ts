/**
 * The chart-drawing child process (forked by child-drawer.ts): satori and resvg live here, not in
 * the long-running plugin, and leave with this process when no chart changed for a while.
 * Protocol over the IPC channel: { id, spec } in, { id, png } or { id, error } out.
 */
import { renderSparkline, type SparklineSpec } from './rasterize.js';

type Request = { readonly id: number; readonly spec: SparklineSpec };

process.on('message', (message: Request) => {
  renderSparkline(message.spec).then(
    (png) => process.send?.({ id: message.id, png }),
    (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The plugin went away or let us go: nothing else keeps this process.
process.on('disconnect', () => process.exit(0));
// Load satori and resvg at once (a throw-away chart), so the first real request finds them ready.
renderSparkline({ values: [0, 1], width: 2, height: 2, color: '#000000' }).catch(() => undefined);
