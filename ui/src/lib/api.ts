// The only place the UI talks to the Rust side. Each function mirrors one
// Tauri command in src-tauri/src/commands.rs.

import { invoke } from "@tauri-apps/api/core";
import { isLocale, type Locale } from "./messages";

export interface HomeView {
  language: Locale;
  visitsTotal: number;
  visitsToday: number;
  people: number;
  journalPath: string | null;
}

/** A failure the UI can explain: `key` is a message key. */
export class ApiError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const key =
      typeof e === "object" && e !== null && typeof (e as { key?: unknown }).key === "string"
        ? (e as { key: string }).key
        : "error.unknown";
    throw new ApiError(key);
  }
}

export function home(dayStart: Date): Promise<HomeView> {
  return call<HomeView>("home", { dayStartMs: dayStart.getTime() });
}

export async function setLanguage(language: Locale): Promise<Locale> {
  const saved = await call<string>("set_language", { language });
  return isLocale(saved) ? saved : "vi";
}
