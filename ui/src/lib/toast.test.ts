import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dismissToast, MAX_TOASTS, showToast, toasts } from "./toast.svelte";

describe("toasts", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    toasts.list = [];
  });
  afterEach(() => vi.useRealTimers());

  it("shows a toast and clears it after a few seconds", () => {
    showToast("Đã lưu");
    expect(toasts.list.map((t) => t.text)).toEqual(["Đã lưu"]);
    vi.advanceTimersByTime(3999);
    expect(toasts.list).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(toasts.list).toHaveLength(0);
  });

  it("keeps only the newest few", () => {
    for (let i = 0; i < MAX_TOASTS + 2; i++) showToast(`toast ${i}`);
    expect(toasts.list.map((t) => t.text)).toEqual(["toast 2", "toast 3", "toast 4"]);
  });

  it("dismisses one by id, leaving the others", () => {
    const first = showToast("a", "warn");
    showToast("b");
    dismissToast(first);
    expect(toasts.list.map((t) => [t.text, t.tone])).toEqual([["b", "plain"]]);
  });
});
