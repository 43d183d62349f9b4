import { describe, expect, it } from "vitest";
import { readPreference, writePreference, type KeyValue } from "./storage";

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const broken: KeyValue = {
  getItem: () => {
    throw new Error("denied");
  },
  setItem: () => {
    throw new Error("quota");
  },
  removeItem: () => {
    throw new Error("denied");
  },
};

describe("preferences", () => {
  it("saves, reads back and removes a value", () => {
    const store = memory();
    writePreference(store, "vaora.theme", "dark");
    expect(readPreference(store, "vaora.theme")).toBe("dark");
    writePreference(store, "vaora.theme", null);
    expect(store.data.has("vaora.theme")).toBe(false);
  });

  it("treats storage that refuses as empty, never as an error", () => {
    expect(readPreference(broken, "x")).toBeNull();
    expect(() => writePreference(broken, "x", "1")).not.toThrow();
    expect(readPreference(null, "x")).toBeNull();
  });
});
