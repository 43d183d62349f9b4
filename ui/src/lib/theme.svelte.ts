import { localStore, writePreference } from "./storage";
import { readThemeChoice, resolveTheme, THEME_KEY, type ThemeChoice } from "./theme";

/** The user's theme choice, reactive; `applyTheme` keeps `<html data-theme>` in step. */
export const theme = $state<{ choice: ThemeChoice }>({ choice: readThemeChoice(localStore()) });

const query = (): MediaQueryList | undefined => globalThis.matchMedia?.("(prefers-color-scheme: dark)");

/** Sets `data-theme` on the document from the choice and the system's setting. */
export function applyTheme(): void {
  document.documentElement.dataset.theme = resolveTheme(theme.choice, query()?.matches ?? false);
}

export function setThemeChoice(choice: ThemeChoice): void {
  theme.choice = choice;
  writePreference(localStore(), THEME_KEY, choice);
  applyTheme();
}

/** Follows the system's light/dark switch while the choice is "system". */
export function watchSystemTheme(): () => void {
  const q = query();
  if (!q) return () => undefined;
  q.addEventListener("change", applyTheme);
  return () => q.removeEventListener("change", applyTheme);
}
