// The webview's local storage for this device's display preferences (theme,
// first-run seen). Never journal data. Any failure (storage disabled, full)
// reads as "nothing saved" and writes as a no-op: a preference is worth
// losing, never worth an error on screen.

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function localStore(): KeyValue | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readPreference(store: Pick<KeyValue, "getItem"> | null, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Saves `value` under `key`, or removes the key when `value` is null. */
export function writePreference(store: KeyValue | null, key: string, value: string | null): void {
  try {
    if (value === null) store?.removeItem(key);
    else store?.setItem(key, value);
  } catch {
    // Disabled or full: the preference holds for this session only.
  }
}
