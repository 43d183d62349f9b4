import { describe, expect, it } from "vitest";
import { byDay, calendarDate, startOfLocalDay, timeOfDay } from "./dates";

describe("dates", () => {
  it("start of the local day is local midnight of the same date", () => {
    const d = startOfLocalDay(new Date(2026, 10, 25, 23, 59, 30));
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2026, 10, 25, 0, 0,
    ]);
  });

  it("groups visits by local day, newest first", () => {
    const ms = (d: number, h: number) => new Date(2026, 10, d, h).getTime();
    const groups = byDay([ms(25, 9), ms(25, 8), ms(24, 20)], (x) => x);
    expect(groups.map((g) => g.items.length)).toEqual([2, 1]);
    expect(groups[0]?.day).toBe(new Date(2026, 10, 25).getTime());
  });

  it("formats a time of day in 24-hour form for Vietnamese", () => {
    expect(timeOfDay(new Date(2026, 10, 25, 14, 5).getTime(), "vi")).toBe("14:05");
  });
});

describe("calendarDate", () => {
  it("shows an ISO date the way each language writes it", () => {
    expect(calendarDate("2026-11-25", "vi")).toBe("25/11/2026");
    expect(calendarDate("2026-11-05", "en")).toBe("5 Nov 2026");
    expect(calendarDate("not a date", "vi")).toBe("not a date");
  });
});
