import { describe, expect, it } from "vitest";
import type { VisitView } from "./api";
import { journalRows, rowOffsets, visibleRange } from "./virtual-rows";

function visit(id: string, at: Date): VisitView {
  return {
    id,
    person: 1,
    placeName: `Chợ ${id}`,
    entrance: 1,
    checkedInMs: at.getTime(),
    checkedOutMs: null,
    plannedCheckoutMs: null,
    checkout: null,
    source: "scan",
    verified: true,
    unverifiedReason: null,
  };
}

describe("virtual rows", () => {
  it("puts a heading before each local day, newest first", () => {
    const rows = journalRows([
      visit("c", new Date(2026, 10, 25, 18)),
      visit("b", new Date(2026, 10, 25, 8)),
      visit("a", new Date(2026, 10, 24, 9)),
    ]);
    expect(rows.map((r) => (r.kind === "day" ? "day" : r.visit.id))).toEqual(["day", "c", "b", "day", "a"]);
  });

  it("finds only the rows on screen among 100,000", () => {
    const heights = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? 40 : 72));
    const { offsets, total } = rowOffsets(heights);
    expect(total).toBe(10_000 * 40 + 90_000 * 72);
    const top = offsets[50_000] ?? 0;
    const { start, end } = visibleRange(offsets, total, top + 1, top + 640, 2);
    expect(start).toBe(50_000 - 2);
    // 640 px of 72 px rows (and a 40 px heading) is at most 10 rows.
    expect(end - start).toBeLessThanOrEqual(10 + 4);
    expect(end).toBeGreaterThan(50_008);
  });

  it("copes with an empty list and a viewport past the end", () => {
    expect(visibleRange([], 0, 0, 600)).toEqual({ start: 0, end: 0 });
    const { offsets, total } = rowOffsets([50, 50, 50]);
    expect(visibleRange(offsets, total, 0, 600, 1)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(offsets, total, 1000, 1600, 1).end).toBeLessThanOrEqual(3);
  });
});
