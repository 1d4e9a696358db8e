import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notifySwiftBar, notifyUrl, redact, swiftbarPluginId } from '../../../src/system/swiftbar/notify.js';
import { shQuote } from '../../../src/system/swiftbar/swiftbar-wrapper.js';
import { createRecordingRunner } from '../../helpers/recording-runner.js';

describe('notifyUrl', () => {
  it('round-trips any title and body through URL decoding, with no raw space, + or &', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (title, body) => {
        const url = notifyUrl('llama-swap.streamable.sh', { title, body });
        expect(url).not.toMatch(/[ +\n|"]/);
        const q = new URL(url).searchParams;
        expect(q.get('plugin')).toBe('llama-swap.streamable.sh');
        expect(q.get('title')).toBe(title);
        expect(q.get('body')).toBe(body.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'));
      }),
    );
  });

  it('does not throw on lone surrogates', () => {
    expect(notifyUrl('p', { title: '\uD800', body: 'x\uDC00' })).toBe('swiftbar://notify?plugin=p&title=%EF%BF%BD&body=x%EF%BF%BD');
  });
});

describe('notifySwiftBar', () => {
  it('runs `open -g <url>` only on macOS under SwiftBar, with the secret removed', async () => {
    const runner = createRecordingRunner();
    const env = { SWIFTBAR: '1', SWIFTBAR_PLUGIN_PATH: '/x/llama-swap.streamable.sh' };
    expect(await notifySwiftBar({ runner, platform: { name: 'macos' }, env }, { title: 't', body: 'key k3y!' }, 'k3y')).toBe(true);
    expect(runner.lines()).toEqual(['/usr/bin/open -g swiftbar://notify?plugin=llama-swap.streamable.sh&title=t&body=key%20***!']);
    expect(await notifySwiftBar({ runner, platform: { name: 'linux' }, env }, { title: 't', body: 'b' }, null)).toBe(false);
    expect(await notifySwiftBar({ runner, platform: { name: 'macos' }, env: { SWIFTBAR_PLUGIN_PATH: '/x/y.sh' } }, { title: 't', body: 'b' }, null)).toBe(false);
    expect(runner.calls).toHaveLength(1);
    expect(swiftbarPluginId({})).toBeNull();
    expect(swiftbarPluginId({ LLAMA_SWAP_SWIFTBAR_WRAPPER: '/P/llama-swap.streamable.sh' })).toBe('llama-swap.streamable.sh');
    expect(swiftbarPluginId({ SWIFTBAR_PLUGIN_PATH: '/S/a.sh', LLAMA_SWAP_SWIFTBAR_WRAPPER: '/P/b.sh' })).toBe('a.sh');
    expect(redact('abc', '')).toBe('abc');
  });
});

describe('shQuote', () => {
  it('sh reads back exactly the quoted value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')), (value) => {
        const out = execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(value)}`], { encoding: 'utf8' });
        expect(out).toBe(value);
      }),
      { numRuns: 25 },
    );
  });
});
