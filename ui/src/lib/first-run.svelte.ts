// Whether the first-run explanation was read on this device (a display
// preference, like the theme: lib/storage.ts).
import { localStore, readPreference, writePreference } from "./storage";

const KEY = "vaora.firstRunSeen";

export const firstRun = $state<{ seen: boolean }>({ seen: readPreference(localStore(), KEY) === "1" });

function save(seen: boolean): void {
  firstRun.seen = seen;
  writePreference(localStore(), KEY, seen ? "1" : null);
}

export const markFirstRunSeen = (): void => save(true);
export const showFirstRunAgain = (): void => save(false);
