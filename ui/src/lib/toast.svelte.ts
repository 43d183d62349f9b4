// The toast queue: short confirmations shown by `Toast.svelte`. Pure state;
// the timer that clears a toast is the only side effect.

export interface ToastItem {
  id: number;
  text: string;
  tone: "plain" | "warn";
}

/** At most this many at once: the oldest goes first. */
export const MAX_TOASTS = 3;
const SHOWN_MS = 4000;

export const toasts = $state<{ list: ToastItem[] }>({ list: [] });
let next = 1;

export function showToast(text: string, tone: ToastItem["tone"] = "plain"): number {
  const id = next++;
  toasts.list = [...toasts.list, { id, text, tone }].slice(-MAX_TOASTS);
  setTimeout(() => dismissToast(id), SHOWN_MS);
  return id;
}

export function dismissToast(id: number): void {
  toasts.list = toasts.list.filter((t) => t.id !== id);
}
