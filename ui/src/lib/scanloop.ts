// The camera scan loop, independent of any screen.
//
// API (wired into the Scan screen by its owner):
//
//   const loop = createScanLoop({
//     scanFrame: async () => { ... send one frame, resolve to a result or null ... },
//     keyOf: (result) => result.text,          // what makes two reads "the same code"
//     onResult: (result) => { ... show it, hand it on ... },
//     onError: (e) => { ... },                 // optional: a frame that failed to send
//   });
//   loop.start();   // starts sending frames; resolves nothing, runs until stopped
//   loop.stop();    // stops after the frame in flight (call on leaving the screen)
//   loop.running    // true between start() and stop() / a success
//
// Behaviour: one frame in flight at a time, and at most one every
// `minIntervalMs` (150 ms: about 6 frames a second, the decoder's pace on a
// cheap phone); the first result stops the loop (`stopOnSuccess`, default
// true) and gives feedback (`successFeedback` in feedback.ts: a short
// vibration, or a tone where the device cannot vibrate); the same code read
// again within `repeatWindowMs` (3 s) of the last time it was handed on is
// ignored, so a poster still in view after the result sheet closes is not
// checked in twice. `now` and `sleep`
// can be replaced in tests.

import { successFeedback } from "./feedback";

export interface ScanLoopOptions<R> {
  /** Sends one frame; resolves to what it read, or null when no code. */
  scanFrame: () => Promise<R | null>;
  /** Two results with the same key are the same code. */
  keyOf: (result: R) => string;
  onResult: (result: R) => void;
  onError?: (e: unknown) => void;
  minIntervalMs?: number;
  repeatWindowMs?: number;
  stopOnSuccess?: boolean;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  feedback?: () => void;
}

export interface ScanLoop {
  start(): void;
  stop(): void;
  readonly running: boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createScanLoop<R>(options: ScanLoopOptions<R>): ScanLoop {
  const minInterval = options.minIntervalMs ?? 150;
  const repeatWindow = options.repeatWindowMs ?? 3000;
  const stopOnSuccess = options.stopOnSuccess ?? true;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? defaultSleep;
  const feedback = options.feedback ?? (() => void successFeedback());
  // When each code was last handed on; kept across start/stop so a restart
  // right after a success does not hand the same poster on again.
  const lastSeen = new Map<string, number>();
  let generation = 0;
  let running = false;

  async function run(mine: number): Promise<void> {
    while (running && mine === generation) {
      const started = now();
      let result: R | null = null;
      try {
        result = await options.scanFrame();
      } catch (e) {
        options.onError?.(e);
      }
      if (!running || mine !== generation) return;
      if (result !== null) {
        const key = options.keyOf(result);
        const t = now();
        const seen = lastSeen.get(key);
        if (seen === undefined || t - seen >= repeatWindow) {
          lastSeen.set(key, t);
          if (stopOnSuccess) running = false;
          feedback();
          options.onResult(result);
          if (!running) return;
        }
      }
      const wait = minInterval - (now() - started);
      if (wait > 0) await sleep(wait);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      generation += 1;
      void run(generation);
    },
    stop() {
      running = false;
      generation += 1;
    },
    get running() {
      return running;
    },
  };
}
