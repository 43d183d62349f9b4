// The journal as one flat list of rows (day headings and visits) with a
// known height each, so only the rows on screen are in the page: 100,000
// visits scroll like 10.

import type { VisitView } from "./api";
import { byDay } from "./dates";

export type JournalRow =
  | { kind: "day"; key: string; day: number }
  | { kind: "visit"; key: string; visit: VisitView };

/** Newest first, a heading before each local day's visits. */
export function journalRows(visits: VisitView[]): JournalRow[] {
  const rows: JournalRow[] = [];
  for (const group of byDay(visits, (v) => v.checkedInMs)) {
    rows.push({ kind: "day", key: `d${group.day}`, day: group.day });
    for (const visit of group.items) rows.push({ kind: "visit", key: visit.id, visit });
  }
  return rows;
}

/** Where each row starts (prefix sums) and the total height. */
export function rowOffsets(heights: number[]): { offsets: number[]; total: number } {
  const offsets = new Array<number>(heights.length);
  let y = 0;
  for (let i = 0; i < heights.length; i++) {
    offsets[i] = y;
    y += heights[i] ?? 0;
  }
  return { offsets, total: y };
}

/**
 * The rows `[start, end)` that overlap `[top, bottom)` (in list
 * coordinates), widened by `overscan` rows on each side.
 */
export function visibleRange(
  offsets: number[],
  total: number,
  top: number,
  bottom: number,
  overscan = 6,
): { start: number; end: number } {
  const n = offsets.length;
  if (n === 0 || bottom <= 0 || top >= total) return { start: 0, end: Math.min(n, overscan) };
  // The last row starting at or before `top`.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsets[mid] ?? 0) <= top) lo = mid;
    else hi = mid - 1;
  }
  let end = lo;
  while (end < n && (offsets[end] ?? total) < bottom) end++;
  return { start: Math.max(0, lo - overscan), end: Math.min(n, end + overscan) };
}
