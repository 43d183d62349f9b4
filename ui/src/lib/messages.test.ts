import { describe, expect, it } from "vitest";
import { catalogs, format, formatNumber, translate } from "./messages";

describe("message catalogs", () => {
  it("have the same keys in Vietnamese and English", () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.vi).sort());
  });

  it("have no empty messages", () => {
    for (const [locale, catalog] of Object.entries(catalogs)) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), `${locale}:${key}`).not.toBe("");
      }
    }
  });

  it("write Vietnamese with precomposed (NFC) diacritics", () => {
    for (const text of Object.values(catalogs.vi)) {
      expect(text).toBe(text.normalize("NFC"));
    }
  });
});

describe("translate", () => {
  it("fills placeholders as text", () => {
    expect(translate("vi", "home.privacy.path", { path: "<b>/x</b>" })).toBe(
      "Tệp nhật ký: <b>/x</b>",
    );
  });

  it("chooses the English plural by count", () => {
    expect(translate("en", "home.visitsUnit", { count: 1 })).toBe("visit");
    expect(translate("en", "home.visitsUnit", { count: 3 })).toBe("visits");
    expect(translate("vi", "home.visitsUnit", { count: 3 })).toBe("lượt ghé");
  });

  it("puts the number where a plural branch has #", () => {
    expect(translate("en", "home.outboxPending", { count: 1 })).toBe(
      "1 record waiting to be sent when online.",
    );
    expect(translate("vi", "home.outboxPending", { count: 1200 })).toBe(
      "1.200 bản ghi đang chờ gửi khi có mạng.",
    );
  });

  it("shows an unknown key instead of failing", () => {
    expect(translate("en", "no.such.key")).toBe("no.such.key");
  });

  it("formats numbers in the locale", () => {
    expect(format("{n}", { n: 12345 }, "vi-VN")).toBe("12.345");
    expect(format("{n}", { n: 12345 }, "en-GB")).toBe("12,345");
  });
});

describe("formatNumber", () => {
  it("groups thousands the way each language does", () => {
    expect(formatNumber(3000, "vi")).toBe("3.000");
    expect(formatNumber(3000, "en")).toBe("3,000");
    expect(formatNumber(7, "vi")).toBe("7");
  });
});
