// The camera path shared by Android, iOS and desktop webviews: getUserMedia,
// a canvas to read pixels, greyscale in JS (a quarter of the bytes of RGBA),
// and a raw IPC body to Rust. One frame in flight at a time: a slow phone
// drops frames instead of queueing them.

export type CameraProblem = "unsupported" | "denied" | "none" | "busy";

/** Maps getUserMedia's failures to what the user can do about them. */
export function cameraProblem(e: unknown): CameraProblem {
  const name = typeof e === "object" && e !== null ? (e as { name?: unknown }).name : undefined;
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
      return "none";
    case "NotReadableError":
    case "AbortError":
      return "busy";
    default:
      return "unsupported";
  }
}

/** Width, height (u32 little-endian), then one luma byte per pixel (BT.601). */
export function grayFrame(rgba: Uint8ClampedArray, width: number, height: number): Uint8Array {
  const out = new Uint8Array(8 + width * height);
  const view = new DataView(out.buffer);
  view.setUint32(0, width, true);
  view.setUint32(4, height, true);
  for (let i = 0, p = 8; i < rgba.length; i += 4, p++) {
    out[p] = (77 * (rgba[i] ?? 0) + 150 * (rgba[i + 1] ?? 0) + 29 * (rgba[i + 2] ?? 0)) >> 8;
  }
  return out;
}

export async function openCamera(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw Object.assign(new Error("no mediaDevices"), { name: "NotSupportedError" });
  }
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
  });
}

/** Whether the stream's camera has a torch the app can switch (Android
 * Chrome/WebView report it; most desktop and iOS webviews do not). */
export function torchSupported(stream: MediaStream): boolean {
  const track = stream.getVideoTracks()[0];
  if (!track || typeof track.getCapabilities !== "function") return false;
  const caps = track.getCapabilities() as MediaTrackCapabilities & { torch?: boolean };
  return caps.torch === true;
}

/** Switches the torch; resolves false when the camera refused. */
export async function setTorch(stream: MediaStream, on: boolean): Promise<boolean> {
  const track = stream.getVideoTracks()[0];
  if (!track || !torchSupported(stream)) return false;
  try {
    await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
    return true;
  } catch {
    return false;
  }
}
