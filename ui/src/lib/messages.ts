// Message lookup and formatting. Pure functions: the reactive wrapper is in
// i18n.svelte.ts. Messages use a small subset of ICU syntax: `{name}`
// placeholders and `{n, plural, one {# ...} other {# ...}}` (`#` is the
// number), so translators
// write whole sentences and no code glues fragments together.

import vi from "../i18n/vi.json";
import en from "../i18n/en.json";

export type Locale = "vi" | "en";
export type MessageKey = keyof typeof vi;
export type Params = Record<string, string | number>;

export const catalogs: Record<Locale, Record<string, string>> = { vi, en };

/** BCP 47 tags for Intl formatting. */
export const localeTags: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };

export function isLocale(value: unknown): value is Locale {
  return value === "vi" || value === "en";
}

/**
 * Looks up `key` in `locale`, falling back to Vietnamese, then to the key
 * itself (visible, so a missing translation is noticed, never a crash).
 */
export function translate(locale: Locale, key: string, params: Params = {}): string {
  const template = catalogs[locale][key] ?? catalogs.vi[key] ?? key;
  return format(template, params, localeTags[locale]);
}

const plural = /\{(\w+), plural, ((?:\w+ \{[^}]*\}\s*)+)\}/g;
const placeholder = /\{(\w+)\}/g;

export function format(template: string, params: Params, tag: string): string {
  const withPlurals = template.replace(plural, (_m, name: string, branches: string) => {
    const value = Number(params[name] ?? 0);
    const rule = new Intl.PluralRules(tag).select(value);
    const options = new Map<string, string>();
    for (const b of branches.matchAll(/(\w+) \{([^}]*)\}/g)) {
      options.set(b[1] ?? "", b[2] ?? "");
    }
    const branch = options.get(rule) ?? options.get("other") ?? "";
    return branch.replace(/#/g, new Intl.NumberFormat(tag).format(value));
  });
  return withPlurals.replace(placeholder, (m, name: string) => {
    const value = params[name];
    if (value === undefined) return m;
    return typeof value === "number" ? new Intl.NumberFormat(tag).format(value) : value;
  });
}

/** A count as the user's language writes it: "3.000" in Vietnamese, "3,000" in English. */
export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(localeTags[locale]).format(value);
}
