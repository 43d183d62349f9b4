import { describe, expect, it } from "vitest";
import { readThemeChoice, resolveTheme, THEME_KEY } from "./theme";

const storage = (value: string | null) => ({ getItem: (key: string) => (key === THEME_KEY ? value : null) });

describe("theme", () => {
  it("follows the system until the user chooses", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
  });

  it("keeps the user's choice whatever the system says", () => {
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("reads a saved choice and treats anything else as system", () => {
    expect(readThemeChoice(storage("dark"))).toBe("dark");
    expect(readThemeChoice(storage("purple"))).toBe("system");
    expect(readThemeChoice(storage(null))).toBe("system");
    expect(readThemeChoice(null)).toBe("system");
    const broken = { getItem: () => { throw new Error("denied"); } };
    expect(readThemeChoice(broken)).toBe("system");
  });
});
