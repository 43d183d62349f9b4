import { describe, expect, it } from "vitest";
import { byDay, calendarDate, dateTime, duration, startOfLocalDay, timeOfDay } from "./dates";

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

describe("dateTime", () => {
  it("writes the day and the time the way each language does", () => {
    const ms = new Date(2026, 10, 25, 8, 5).getTime();
    expect(dateTime(ms, "vi")).toBe("08:05 Thứ Tư, 25/11/2026");
    expect(dateTime(ms, "en")).toBe("Wednesday, 25 November 2026 at 08:05");
  });
});

describe("duration", () => {
  it("writes minutes, hours, or both, in the user's language", () => {
    expect(duration(25, "vi")).toBe("25 phút");
    expect(duration(1, "en")).toBe("1 minute");
    expect(duration(120, "en")).toBe("2 hours");
    expect(duration(65, "vi")).toBe("1 giờ, 5 phút");
    expect(duration(65, "en")).toBe("1 hour, 5 minutes");
  });
});
