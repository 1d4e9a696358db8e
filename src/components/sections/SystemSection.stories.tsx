import { LOCAL_SYSTEM, processing, remote } from '../fixtures/menu-models.js';
import type { SystemView } from '../model.js';
import { SystemSection } from './SystemSection.js';
import { findItem } from '../../reconciler/parse.js';
import { InMenu, topItems } from '../story-helpers.js';
import type { Story, StoryMeta } from '../story.js';
import type { PlatformName } from '../../system/types.js';

const meta: StoryMeta = { title: 'Menu/SystemSection' };
export default meta;

const chart = { width: 120, height: 20 };
const section = (system: SystemView, platform: PlatformName = 'macos') => () => (
  <InMenu>
    <SystemSection system={system} chart={chart} platform={platform} />
  </InMenu>
);

/** This Mac under load: CPU and memory charts with window stats, swap, the llama-swap process. */
export const LocalBusy: Story = {
  render: section(processing.system as SystemView),
  assert: (frame, expect) => {
    expect(topItems(frame)[0]?.title).toBe('System — CPU 87% · memory 58.9 GB / 64.0 GB');
    expect(findItem(frame, 'Figures from this Mac')).toBeDefined();
    expect(findItem(frame, /^CPU: 87% · min \d+% · avg \d+% · max \d+%$/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, 'Swap: 1.2 GB / 4.0 GB')).toBeDefined();
    // CPU per core: one bar each, the busiest named.
    expect(findItem(frame, /cores/)?.title).toBe('12 cores ████████▅▄▅▄ · busiest 99%');
    expect(findItem(frame, 'llama-swap process 4242 · CPU 0.3% · 38.4 MB')).toBeDefined();
    expect(findItem(frame, 'GPU')).toBeUndefined();
  },
};

/** Remote llama-swap: figures from /api/performance, with GPU use and memory. */
export const RemoteGpu: Story = {
  render: section(remote.system as SystemView),
  assert: (frame, expect) => {
    expect(findItem(frame, 'Figures from llama-swap')).toBeDefined();
    expect(findItem(frame, 'Apple M2 Ultra')).toBeDefined();
    expect(findItem(frame, /^GPU: 97% · min/)?.params.image).toMatch(/^iVBORw0KGgo/);
    expect(findItem(frame, /^GPU memory: 140 GB \/ 144 GB · min/)).toBeDefined();
    expect(findItem(frame, 'llama-swap process')).toBeUndefined();
    expect(findItem(frame, /^24 cores /)?.title).toMatch(/^24 cores [▁-█]{24} · busiest 88%$/);
  },
};

/** First sample: no history yet, so plain lines without charts. */
export const NoHistory: Story = {
  render: section({ ...LOCAL_SYSTEM, history: { cpuPercent: [], memUsedBytes: [], gpuUtilPercent: [], gpuMemUsedBytes: [] } }),
  assert: (frame, expect) => {
    expect(findItem(frame, 'CPU: 23%')?.params.image).toBeUndefined();
    expect(findItem(frame, 'Memory: 41.7 GB / 64.0 GB')?.params.image).toBeUndefined();
    expect(findItem(frame, /cores/)).toBeUndefined();
  },
};

/** On Linux the local source is not called "this Mac". */
export const LinuxLocal: Story = {
  render: section({ ...LOCAL_SYSTEM, swapUsedBytes: null, swapTotalBytes: null, llamaSwapProcess: null }, 'linux'),
  assert: (frame, expect) => {
    expect(findItem(frame, 'Figures from this computer')).toBeDefined();
    expect(findItem(frame, 'Swap')).toBeUndefined();
  },
};
