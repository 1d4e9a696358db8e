import { describe, expect, it } from 'vitest';
import { allItems, findItem, parseFrame, parseLine, splitFrames } from '../../src/reconciler/parse.js';

describe('parseFrame', () => {
  it('reads header, body and nesting the way SwiftBar builds its tree', () => {
    const frame = parseFrame('A | color=red\nB\n---\nx\n--y\n----z\n-----\n--w\n---\nv\n');
    expect(frame.header.map((h) => h.title)).toEqual(['A', 'B']);
    expect(frame.header[0]?.params).toEqual({ color: 'red' });
    expect(frame.body).toHaveLength(3);
    expect(allItems(frame).map((i) => `${i.depth}:${i.title}`)).toEqual(['0:x', '1:y', '2:z', '1:w', '0:v']);
  });

  it('loses children of a separator and skips dropdown=false lines, like SwiftBar', () => {
    const lost = parseFrame('T\n---\na\n---\n--lost\nb | dropdown=false\n--also lost\n');
    expect(allItems(lost).map((i) => i.title)).toEqual(['a']);
    const kept = parseFrame('T\n---\na\nb | dropdown=false\n--kept\n');
    expect(allItems(kept).map((i) => `${i.depth}:${i.title}`)).toEqual(['0:a', '1:kept']);
    const parent = kept.body[0];
    expect(findItem(kept, 'kept')).toBe(parent?.type === 'item' ? parent.children[0] : undefined);
  });

  it('tokenizes parameters as SwiftBar does', () => {
    expect(parseLine('CPU | 50%')).toEqual({ title: 'CPU', params: {} });
    expect(parseLine('A | color=red | size=12').params).toEqual({ color: 'red', '| size': '12' });
    expect(parseLine(`x | a="say \\"hi\\"" b='it"s' c= d`).params).toEqual({ a: 'say \\"hi\\"', b: 'it"s', c: 'd' });
    expect(parseLine('x|TemplateImage=AA==').params).toEqual({ templateimage: 'AA==' });
    expect(parseLine('  a\\\\b\\nc\\q  ').title).toBe('a\\b\ncq');
    expect(parseLine('  pad  | trim=false').title).toBe('  pad  ');
  });

  it('finds items by substring, RegExp or predicate', () => {
    const frame = parseFrame('T\n---\nalpha\n--beta 2\n');
    expect(findItem(frame, 'eta')?.title).toBe('beta 2');
    expect(findItem(frame, /^al/)?.title).toBe('alpha');
    expect(findItem(frame, (i) => i.depth === 1)?.title).toBe('beta 2');
    expect(findItem(frame, 'T')).toBeUndefined();
  });
});

describe('splitFrames', () => {
  it('returns complete frames only (trailing ~~~ mode)', () => {
    expect(splitFrames('A\n---\nb\n~~~\nC\n~~~\npartial\n')).toEqual(['A\n---\nb\n', 'C\n']);
    expect(splitFrames('a ~~~ b\n~~~ \n')).toEqual([]);
  });
});
