import { expect, it } from "vitest";
import { addDays, fromDateInput, fromLocalInput, toDateInput, toLocalInput } from "./datetime-local";

it("round-trips a local date and time through the input format", () => {
  const d = new Date(2026, 10, 25, 7, 5);
  expect(toLocalInput(d)).toBe("2026-11-25T07:05");
  expect(fromLocalInput("2026-11-25T07:05")?.getTime()).toBe(d.getTime());
});

it("refuses empty, malformed and impossible values", () => {
  expect(fromLocalInput("")).toBeNull();
  expect(fromLocalInput("25/11/2026 07:05")).toBeNull();
  expect(fromLocalInput("2026-02-31T10:00")).toBeNull();
});

it("round-trips a calendar day and refuses impossible ones", () => {
  const d = new Date(2026, 0, 5);
  expect(toDateInput(d)).toBe("2026-01-05");
  expect(fromDateInput("2026-01-05")?.getTime()).toBe(d.getTime());
  expect(fromDateInput("2026-13-01")).toBeNull();
  expect(fromDateInput("")).toBeNull();
});

it("adds calendar days across month and year ends", () => {
  expect(toDateInput(addDays(new Date(2026, 11, 31), 1))).toBe("2027-01-01");
  expect(toDateInput(addDays(new Date(2026, 2, 1), -1))).toBe("2026-02-28");
});
