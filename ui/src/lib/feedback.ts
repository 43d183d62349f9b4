// "Got it" after a successful scan, so nobody at a door has to look twice:
// a short vibration on a phone that can (Android), otherwise a short high
// tone (iOS, desktop: desktop webviews may offer vibrate() with nothing to
// shake). Webviews only let a page make sound after the
// user touched it, so the tone's audio context is made on the tap that
// opens the camera (`prepareSound`) and reused for every read after.

type AudioContextClass = new () => AudioContext;

export interface FeedbackDevice {
  /** A touch screen (a phone or tablet), where vibration can be felt. */
  touch?: boolean;
  vibrate?: (ms: number) => boolean;
  AudioContext?: AudioContextClass;
}

function device(): FeedbackDevice {
  if (typeof window === "undefined") return {};
  const nav = navigator as Navigator & { vibrate?: (ms: number) => boolean };
  const audio = window.AudioContext as AudioContextClass | undefined;
  return {
    touch: window.matchMedia?.("(pointer: coarse)").matches ?? false,
    vibrate: typeof nav.vibrate === "function" ? (ms) => nav.vibrate?.(ms) ?? false : undefined,
    AudioContext: audio,
  };
}

let context: AudioContext | null = null;

function canVibrate(from: FeedbackDevice): boolean {
  return from.touch === true && typeof from.vibrate === "function";
}

/** Call from a tap: makes (or wakes) the audio context the tone plays on. */
export function prepareSound(from: FeedbackDevice = device()): void {
  if (canVibrate(from) || !from.AudioContext) return;
  try {
    context ??= new from.AudioContext();
    void context.resume().catch(() => undefined);
  } catch {
    context = null;
  }
}

/** What a success feels or sounds like on this device. */
export function successFeedback(from: FeedbackDevice = device()): "vibration" | "tone" | "none" {
  if (canVibrate(from) && from.vibrate?.(80)) return "vibration";
  if (!context || context.state !== "running") return "none";
  const tone = context.createOscillator();
  const volume = context.createGain();
  tone.frequency.value = 1760;
  volume.gain.value = 0.08;
  tone.connect(volume).connect(context.destination);
  tone.start();
  tone.stop(context.currentTime + 0.09);
  return "tone";
}

/** Forgets the audio context (tests). */
export function resetSound(): void {
  context = null;
}
