import { expect, it } from "vitest";
import { startOfLocalDay } from "./dates";

it("start of the local day is local midnight of the same date", () => {
  const d = startOfLocalDay(new Date(2026, 10, 25, 23, 59, 30));
  expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
    2026, 10, 25, 0, 0,
  ]);
});
