/**
 * SWR's `compare` for the menu's keys: two polls that brought the same answer are the same data,
 * so SWR keeps the previous object and React does not re-render. Every fetcher returns a fresh
 * `Stamped` ({ at, value }), which SWR's default deep compare would always see as new; and
 * llama-swap's `/api/performance` sample carries its own `timestamp`, which is never shown.
 * For /running a failed Result is never "the same" (sameAnswerUnlessFailed): the menu holds back
 * one failed poll and shows the second, so each failure must reach the render (they come at the
 * backed-off pace, 2–30 s).
 */
import { isDeepStrictEqual } from 'node:util';

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A `Stamped` value: exactly the keys `at` (number) and `value`. */
function isStamped(v: unknown): v is { readonly at: number; readonly value: unknown } {
  return isObj(v) && typeof v['at'] === 'number' && 'value' in v && Object.keys(v).length === 2;
}

/** The value without the keys that only say when it was taken. */
function withoutTime(v: unknown): unknown {
  if (!isObj(v)) return v;
  if (v['ok'] === true && 'value' in v) return { ok: true, value: withoutTime(v['value']) };
  if (typeof v['timestamp'] !== 'number') return v;
  const { timestamp: _time, ...rest } = v;
  return rest;
}

function isFailure(v: unknown): boolean {
  return isObj(v) && v['ok'] === false;
}

/** True when `b` brings nothing new over `a` (same answer, possibly taken at another time). */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (isStamped(a) && isStamped(b)) return isDeepStrictEqual(withoutTime(a.value), withoutTime(b.value));
  return isDeepStrictEqual(a, b);
}

/** sameAnswer, except that two failures are never the same (each one re-renders). */
export function sameAnswerUnlessFailed(a: unknown, b: unknown): boolean {
  // The very same object must stay equal: SWR's store snapshot compares data with itself.
  if (Object.is(a, b)) return true;
  if (isStamped(a) && isStamped(b) && (isFailure(a.value) || isFailure(b.value))) return false;
  return sameAnswer(a, b);
}
