/**
 * Is the terminal dark? `COLORFGBG` when the terminal sets it (rxvt, Konsole, iTerm2: "fg;bg"
 * with ANSI colour indexes), else an OSC 11 query ("what is your background colour?") answered
 * within a short timeout; unknown when neither tells.
 */

export type Shade = 'dark' | 'light';

/** The shade from `COLORFGBG` ("15;0", "default;default;0"): the last field is the background. */
export function shadeFromColorFgBg(value: string | undefined): Shade | undefined {
  if (value === undefined) return undefined;
  const bg = Number(value.split(';').pop());
  if (!Number.isInteger(bg) || bg < 0 || bg > 15) return undefined;
  // ANSI 7 (light grey) and 15 (white) are light backgrounds; 0-6 and 8-14 dark ones, 9-14 aside.
  return bg === 7 || bg === 15 ? 'light' : 'dark';
}

/** The shade from an OSC 11 reply (`ESC ] 11 ; rgb:RRRR/GGGG/BBBB BEL|ST`), by relative luminance. */
export function shadeFromOsc11(reply: string): Shade | undefined {
  const m = /\]11;rgba?:([0-9a-f]{1,4})\/([0-9a-f]{1,4})\/([0-9a-f]{1,4})/i.exec(reply);
  if (!m) return undefined;
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => parseInt(h ?? '0', 16) / (16 ** (h ?? '0').length - 1)) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance < 0.5 ? 'dark' : 'light';
}

export type QueryIo = {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
};

/** Asks the terminal for its background (OSC 11); resolves undefined after `timeoutMs` without an answer. */
export function queryBackground(io: QueryIo, timeoutMs = 150): Promise<Shade | undefined> {
  const { stdin, stdout } = io;
  if (!stdin.isTTY || !stdout.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let reply = '';
    const wasRaw = stdin.isRaw;
    const finish = (shade: Shade | undefined): void => {
      clearTimeout(timer);
      stdin.removeListener('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      resolve(shade);
    };
    const onData = (chunk: Buffer | string): void => {
      reply += chunk.toString();
      const shade = shadeFromOsc11(reply);
      if (shade !== undefined || reply.length > 64) finish(shade);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    stdout.write('\x1b]11;?\x07');
  });
}

/** COLORFGBG first (no round trip), then the OSC 11 query. */
export async function detectShade(env: Readonly<Record<string, string | undefined>>, io: QueryIo): Promise<Shade | undefined> {
  return shadeFromColorFgBg(env['COLORFGBG']) ?? (await queryBackground(io));
}
