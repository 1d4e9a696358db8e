/** Terminal key input → the demo's commands (arrow keys arrive as CSI sequences, several per chunk). */

export type DemoKey = 'up' | 'down' | 'left' | 'right' | 'enter' | 'pageup' | 'pagedown' | 'home' | 'end' | 'quit' | 'cycle' | { readonly scenario: number };

const SEQUENCES: readonly (readonly [string, DemoKey])[] = [
  ['\x1b[A', 'up'], ['\x1bOA', 'up'], ['\x1b[B', 'down'], ['\x1bOB', 'down'],
  ['\x1b[C', 'right'], ['\x1bOC', 'right'], ['\x1b[D', 'left'], ['\x1bOD', 'left'],
  ['\x1b[5~', 'pageup'], ['\x1b[6~', 'pagedown'], ['\x1b[H', 'home'], ['\x1b[F', 'end'],
  ['\x1bOH', 'home'], ['\x1bOF', 'end'], ['\x1b[1~', 'home'], ['\x1b[4~', 'end'], ['\x1b[7~', 'home'], ['\x1b[8~', 'end'],
  ['\r', 'enter'], ['\n', 'enter'], [' ', 'enter'], ['\x03', 'quit'], ['q', 'quit'], ['c', 'cycle'],
  ['k', 'up'], ['j', 'down'], ['h', 'left'], ['l', 'right'],
];

/** Every key in one chunk of raw input, in order; unknown bytes are skipped. */
export function parseKeys(chunk: string): DemoKey[] {
  const out: DemoKey[] = [];
  for (let i = 0; i < chunk.length; ) {
    const hit = SEQUENCES.find(([seq]) => chunk.startsWith(seq, i));
    if (hit) {
      out.push(hit[1]);
      i += hit[0].length;
      continue;
    }
    const ch = chunk[i] ?? '';
    if (ch === '\x1b' && chunk[i + 1] === ']') {
      // A late terminal reply (OSC 11's colour): skip to its BEL or ST, never read it as keys.
      const bel = chunk.indexOf('\x07', i);
      const st = chunk.indexOf('\x1b\\', i + 2);
      const ends = [bel < 0 ? Infinity : bel + 1, st < 0 ? Infinity : st + 2];
      i = Math.min(chunk.length, ...ends);
      continue;
    }
    if (ch >= '1' && ch <= '9') out.push({ scenario: Number(ch) });
    i += ch === '\x1b' && chunk[i + 1] === '[' ? Math.max(2, chunk.slice(i + 2).search(/[@-~]/) + 3) : 1;
  }
  return out;
}
