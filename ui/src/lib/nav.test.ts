import { describe, expect, it } from "vitest";
import { homeTab, settle, tabsFor } from "./nav";

describe("navigation", () => {
  it("opens a person's phone on Scan and a gate device on the gate", () => {
    expect(homeTab(false)).toBe("scan");
    expect(homeTab(true)).toBe("gate");
  });

  it("offers the six personal screens, or the gate and settings on a gate", () => {
    expect(tabsFor(false)).toEqual(["scan", "journal", "declare", "family", "alerts", "settings"]);
    expect(tabsFor(true)).toEqual(["gate", "settings"]);
  });

  it("goes to the gate once the device is bound, and stays where it is otherwise", () => {
    expect(settle("gate", true, false)).toBe("gate");
    expect(settle("settings", true, false)).toBe("gate");
    expect(settle("journal", false, false)).toBe("journal");
    expect(settle("settings", true, true)).toBe("settings");
    // Setting up a gate from Settings shows the gate screen before binding.
    expect(settle("gate", false, false)).toBe("gate");
    // A personal screen is not offered on a gate device.
    expect(settle("journal", true, true)).toBe("gate");
  });
});
