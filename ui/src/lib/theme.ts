// The colour theme: the system's (prefers-color-scheme) unless the user
// chose one in Settings. The choice is a display preference of this device
// (lib/storage.ts); nothing about it leaves the device.
import { readPreference, type KeyValue } from "./storage";

export type ThemeChoice = "system" | "light" | "dark";
export type Theme = "light" | "dark";

export const THEME_KEY = "vaora.theme";

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === "system" || value === "light" || value === "dark";
}

/** The theme to draw: the user's choice, or the system's when they left it to the system. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === "system") return systemDark ? "dark" : "light";
  return choice;
}

/** Reads a saved choice; anything unreadable means "system". */
export function readThemeChoice(store: Pick<KeyValue, "getItem"> | null): ThemeChoice {
  const saved = readPreference(store, THEME_KEY);
  return isThemeChoice(saved) ? saved : "system";
}
