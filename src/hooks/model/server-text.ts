/**
 * Bounds on what a llama-swap server can put into the menu. A remote llama-swap is not under the
 * user's control: a 10 MB description or 20,000 models must not become a 10 MB frame. The
 * builder passes every server text it shows through shownText and lists at most this many models.
 */

/** Longest server text shown (names, descriptions, error messages), ellipsis included. */
export const MAX_SHOWN_TEXT = 300;

/**
 * Longest model or profile id listed. An id is also an action argument, so it cannot be cut:
 * a model with a longer id is left out of the list (counted in "and N more").
 */
export const MAX_LISTED_ID = 256;

/** Loaded models listed; the rest are counted in "and N more loaded — open the web UI". */
export const MAX_LOADED_LISTED = 50;

/** Configured (not loaded) models listed; the rest are counted in "and N more — open the web UI". */
export const MAX_IDLE_LISTED = 100;

/** Profiles listed (each is one menu line). */
export const MAX_PROFILES_LISTED = 50;

/** `text` cut to MAX_SHOWN_TEXT characters with an ellipsis, never splitting a surrogate pair. */
export function shownText(text: string, max = MAX_SHOWN_TEXT): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** An id that can be listed and passed to an action as it is. */
export function listableId(id: string): boolean {
  return id.length <= MAX_LISTED_ID;
}
