import { describe, expect, it } from "vitest";
import { errorsByField, toggle } from "./declaration";

describe("declaration form helpers", () => {
  it("keeps the first message of each field", () => {
    const map = errorsByField([
      { field: "phone", key: "declaration.phone.required" },
      { field: "phone", key: "declaration.phone.invalid" },
      { field: "fullName", key: "declaration.fullName.required" },
    ]);
    expect(map.get("phone")).toBe("declaration.phone.required");
    expect(map.get("fullName")).toBe("declaration.fullName.required");
    expect(map.size).toBe(2);
  });

  it("toggles a choice without repeating it", () => {
    expect(toggle(["fever"], "cough", true)).toEqual(["fever", "cough"]);
    expect(toggle(["fever", "cough"], "fever", true)).toEqual(["cough", "fever"]);
    expect(toggle(["fever", "cough"], "fever", false)).toEqual(["cough"]);
  });
});
