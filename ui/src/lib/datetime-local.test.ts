import { expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./datetime-local";

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
