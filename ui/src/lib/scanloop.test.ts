import { describe, expect, it } from "vitest";
import { createScanLoop } from "./scanloop";

/** A fake clock: sleeping moves time on at once. */
function clock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** Lets the loop's pending promises run. */
const settle = async () => {
  for (let i = 0; i < 50; i++) await Promise.resolve();
};

describe("scan loop", () => {
  it("stops at the first code and gives feedback once", async () => {
    const c = clock();
    const frames = [null, null, "A", "B"];
    const results: string[] = [];
    let buzz = 0;
    const loop = createScanLoop<string>({
      scanFrame: async () => frames.shift() ?? null,
      keyOf: (r) => r,
      onResult: (r) => results.push(r),
      now: c.now,
      sleep: c.sleep,
      feedback: () => buzz++,
    });
    loop.start();
    await settle();
    expect(results).toEqual(["A"]);
    expect(buzz).toBe(1);
    expect(loop.running).toBe(false);
    expect(frames).toEqual(["B"]);
  });

  it("sends at most one frame per interval", async () => {
    const c = clock();
    const sentAt: number[] = [];
    const loop = createScanLoop<string>({
      scanFrame: async () => {
        sentAt.push(c.now());
        c.advance(40); // the frame took 40 ms
        return null;
      },
      keyOf: (r) => r,
      onResult: () => {},
      minIntervalMs: 150,
      now: c.now,
      sleep: c.sleep,
    });
    loop.start();
    await settle();
    loop.stop();
    expect(sentAt.length).toBeGreaterThan(3);
    for (let i = 1; i < sentAt.length; i++) {
      expect(sentAt[i]! - sentAt[i - 1]!).toBe(150);
    }
  });

  it("ignores the same code within the repeat window, not after it", async () => {
    const c = clock();
    const results: string[] = [];
    let next: string | null = "A";
    let frames = 0;
    const loop = createScanLoop<string>({
      scanFrame: async () => {
        frames++;
        // Five frames (750 ms) of the poster still in view, then leave.
        if (frames === 6) loop.stop();
        return next;
      },
      keyOf: (r) => r,
      onResult: (r) => results.push(r),
      repeatWindowMs: 3000,
      now: c.now,
      sleep: c.sleep,
      feedback: () => {},
    });
    loop.start();
    await settle();
    expect(results).toEqual(["A"]);
    // The result sheet closes and the poster is still in view.
    loop.start();
    await settle();
    expect(frames).toBe(6);
    expect(results).toEqual(["A"]);
    // Another code is taken at once; the first again after the window.
    next = "B";
    loop.start();
    await settle();
    expect(results).toEqual(["A", "B"]);
    c.advance(3000);
    next = "A";
    loop.start();
    await settle();
    expect(results).toEqual(["A", "B", "A"]);
  });

  it("keeps going after a frame that failed to send", async () => {
    const c = clock();
    const errors: unknown[] = [];
    let calls = 0;
    const loop = createScanLoop<string>({
      scanFrame: async () => {
        calls++;
        if (calls === 1) throw new Error("ipc");
        return "A";
      },
      keyOf: (r) => r,
      onResult: () => {},
      onError: (e) => errors.push(e),
      now: c.now,
      sleep: c.sleep,
      feedback: () => {},
    });
    loop.start();
    await settle();
    expect(errors.length).toBe(1);
    expect(calls).toBe(2);
  });

  it("drops a result that arrives after stop", async () => {
    const c = clock();
    const results: string[] = [];
    let release: (v: string) => void = () => {};
    const loop = createScanLoop<string>({
      scanFrame: () => new Promise<string>((resolve) => (release = resolve)),
      keyOf: (r) => r,
      onResult: (r) => results.push(r),
      now: c.now,
      sleep: c.sleep,
      feedback: () => {},
    });
    loop.start();
    await settle();
    loop.stop();
    release("A");
    await settle();
    expect(results).toEqual([]);
  });
});
