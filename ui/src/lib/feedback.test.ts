import { afterEach, describe, expect, it } from "vitest";
import { prepareSound, resetSound, successFeedback, type FeedbackDevice } from "./feedback";

/** Records what the tone did, standing in for the webview's AudioContext. */
function fakeAudio(state: AudioContextState = "running") {
  const played: string[] = [];
  let made = 0;
  class FakeContext {
    state = state;
    currentTime = 1;
    destination = {};
    constructor() {
      made++;
    }
    resume() {
      return Promise.resolve();
    }
    createGain() {
      return { gain: { value: 0 }, connect: (to: unknown) => to };
    }
    createOscillator() {
      const tone = {
        frequency: { value: 0 },
        connect: (to: unknown) => to,
        start: () => played.push(`start ${tone.frequency.value} Hz`),
        stop: (at: number) => played.push(`stop at ${at}`),
      };
      return tone;
    }
  }
  return { AudioContext: FakeContext as unknown as new () => AudioContext, played, made: () => made };
}

afterEach(resetSound);

describe("success feedback", () => {
  it("vibrates on a phone that can, and makes no sound", () => {
    const audio = fakeAudio();
    const buzzes: number[] = [];
    const phone: FeedbackDevice = {
      touch: true,
      vibrate: (ms) => buzzes.push(ms) > 0,
      AudioContext: audio.AudioContext,
    };
    prepareSound(phone);
    expect(successFeedback(phone)).toBe("vibration");
    expect(buzzes).toEqual([80]);
    expect(audio.made()).toBe(0);
    expect(audio.played).toEqual([]);
  });

  it("plays a short tone on a desktop, even one whose webview offers vibrate(), on the context made at the tap", () => {
    const audio = fakeAudio();
    const buzzes: number[] = [];
    const desktop: FeedbackDevice = { vibrate: (ms) => buzzes.push(ms) > 0, AudioContext: audio.AudioContext };
    prepareSound(desktop);
    prepareSound(desktop);
    expect(successFeedback(desktop)).toBe("tone");
    expect(successFeedback(desktop)).toBe("tone");
    expect(audio.made()).toBe(1);
    expect(audio.played.slice(0, 2)).toEqual(["start 1760 Hz", "stop at 1.09"]);
    expect(buzzes).toEqual([]);
  });

  it("plays the tone on a phone without vibration (iOS)", () => {
    const audio = fakeAudio();
    const iphone: FeedbackDevice = { touch: true, AudioContext: audio.AudioContext };
    prepareSound(iphone);
    expect(successFeedback(iphone)).toBe("tone");
  });

  it("stays silent without a tap to unlock sound, or while the webview keeps it suspended", () => {
    const audio = fakeAudio();
    expect(successFeedback({ AudioContext: audio.AudioContext })).toBe("none");
    const suspended = fakeAudio("suspended");
    prepareSound({ AudioContext: suspended.AudioContext });
    expect(successFeedback({ AudioContext: suspended.AudioContext })).toBe("none");
    expect(suspended.played).toEqual([]);
    expect(successFeedback({})).toBe("none");
  });

});
