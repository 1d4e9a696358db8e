/** What the SwiftBar running the plugin can do, from `SWIFTBAR_VERSION` (2.0.1 sets it too). */

/** `major.minor` of a version string such as `2.1.1` or `2.1.0-beta-2`; null when it does not parse. */
function majorMinor(version: string | undefined): readonly [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(version?.trim() ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * True when SwiftBar writes a clicked `stdin=` item's text to a streamable plugin's stdin
 * (`StreamablePlugin.writeStdin`, new in 2.1.0). Unknown or missing versions: false, so items
 * keep their `bash=` commands.
 */
export function swiftBarWritesStdin(version: string | undefined): boolean {
  const v = majorMinor(version);
  return v !== null && (v[0] > 2 || (v[0] === 2 && v[1] >= 1));
}
