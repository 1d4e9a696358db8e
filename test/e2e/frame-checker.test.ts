import { describe, expect, it } from 'vitest';
import { checkFrame } from '../helpers/frame-checker.js';

const codes = (frame: string): string[] => checkFrame(frame).map((p) => p.code);
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('frame checker (the e2e structure check)', () => {
  it('passes a well-formed frame', () => {
    const frame = `:circle.fill: | sfcolor=#248a3d,#30d158 tooltip="ok"\n---\nModel | symbolize=false\n--Child | color=#1d1d1f,#f2f2f7 image=${PNG}\n-----\n--Unload | bash=/usr/bin/node param1=/x.js param2=do_unload_model param3="a b" terminal=false\n---\nLink | href=http://127.0.0.1/ui/\n`;
    expect(checkFrame(frame)).toEqual([]);
  });

  it.each([
    ['---\nA\n', 'no-header'],
    [' | sfcolor=red\n---\n', 'empty-header'],
    ['T\n---\nA | b\n', 'stray-pipe'],
    ['T\n---\nA | color=red b\n', 'dangling-text'],
    ['T\n---\nA | foo bar=1\n', 'bare-word'],
    ['T\n---\nA | tooltip="open\n', 'unbalanced-quote'],
    ['T\n---\nA | color=red color=blue\n', 'duplicate-param'],
    ['T\n---\nA | colour=red\n', 'unknown-param'],
    ['T\n---\nA | color=#fff\n', 'bad-color'],
    ['T\n---\nA | bash=node\n', 'bad-bash'],
    ['T\n---\nA | image=aGVsbG8=\n', 'bad-image'],
    ['T\n---\nA | param1=x\n', 'params-unused'],
    ['T\n---\n--x\n', 'orphan-item'],
    ['T\n---\nA\n----x\n', 'depth-jump'],
    ['T\n---\nA ~~~ B\n', 'tilde-in-line'],
    ['T\n---\n--- \n', 'separator-params'],
    ['T | bash=/bin/sh\n---\n', 'header-action'],
    ['T\n--- | color=red\n', 'header-split'],
    ['', 'empty-frame'],
  ])('%j → %s', (frame, code) => {
    expect(codes(frame)).toContain(code);
  });
});
