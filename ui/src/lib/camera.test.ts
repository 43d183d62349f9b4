import { describe, expect, it } from "vitest";
import { cameraProblem, grayFrame, setTorch, torchSupported } from "./camera";

describe("camera", () => {
  it("packs a frame as size header and luma bytes", () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255]);
    const out = grayFrame(rgba, 3, 1);
    const view = new DataView(out.buffer);
    expect([view.getUint32(0, true), view.getUint32(4, true)]).toEqual([3, 1]);
    expect(Array.from(out.slice(8))).toEqual([255, 0, 76]);
  });

  it("says what the user can do when the camera fails", () => {
    expect(cameraProblem({ name: "NotAllowedError" })).toBe("denied");
    expect(cameraProblem({ name: "NotFoundError" })).toBe("none");
    expect(cameraProblem({ name: "NotReadableError" })).toBe("busy");
    expect(cameraProblem(new Error("x"))).toBe("unsupported");
  });

  it("offers the torch only where the camera reports one", async () => {
    const applied: unknown[] = [];
    const stream = (torch: boolean | undefined) =>
      ({
        getVideoTracks: () => [
          {
            getCapabilities: () => (torch === undefined ? {} : { torch }),
            applyConstraints: async (c: unknown) => {
              applied.push(c);
            },
          },
        ],
      }) as unknown as MediaStream;
    expect(torchSupported(stream(true))).toBe(true);
    expect(torchSupported(stream(false))).toBe(false);
    expect(torchSupported(stream(undefined))).toBe(false);
    expect(torchSupported({ getVideoTracks: () => [] } as unknown as MediaStream)).toBe(false);
    expect(await setTorch(stream(undefined), true)).toBe(false);
    expect(await setTorch(stream(true), true)).toBe(true);
    expect(applied).toEqual([{ advanced: [{ torch: true }] }]);
  });
});
