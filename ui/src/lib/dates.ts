import { localeTags, type Locale } from "./messages";

/** Midnight at the start of `now`'s day in the device's time zone. */
export function startOfLocalDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

/** "08:05" in the user's locale and time zone. */
export function timeOfDay(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTags[locale], {
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(ms));
}

/** "Thứ Tư, 25/11/2026" / "Wednesday, 25 November 2026". */
export function dayHeading(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTags[locale], {
    weekday: "long",
    day: "numeric",
    month: locale === "vi" ? "numeric" : "long",
    year: "numeric",
  }).format(new Date(ms));
}

/** Groups items by local day, keeping their order (newest first in, newest first out). */
export function byDay<T>(items: T[], ms: (item: T) => number): { day: number; items: T[] }[] {
  const groups: { day: number; items: T[] }[] = [];
  for (const item of items) {
    const day = startOfLocalDay(new Date(ms(item))).getTime();
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.items.push(item);
    else groups.push({ day, items: [item] });
  }
  return groups;
}

/** A calendar date given as "2026-11-25": "25/11/2026" / "25 Nov 2026". */
export function calendarDate(iso: string, locale: Locale): string {
  const [y, m, d] = iso.split("-").map(Number);
  if (!y || !m || !d) return iso;
  return new Intl.DateTimeFormat(localeTags[locale], {
    day: "numeric",
    month: locale === "vi" ? "numeric" : "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A moment with its day: "08:05 Thứ Tư, 25/11/2026" / "Wednesday, 25 November 2026 at 08:05", as Intl writes it. */
export function dateTime(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(localeTags[locale], {
    weekday: "long",
    day: "numeric",
    month: locale === "vi" ? "numeric" : "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(ms));
}

/** A length of time in whole minutes, as Intl writes it: "1 giờ, 5 phút" / "1 hour, 5 minutes". */
export function duration(minutes: number, locale: Locale): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unit = (value: number, name: "hour" | "minute") =>
    new Intl.NumberFormat(localeTags[locale], { style: "unit", unit: name, unitDisplay: "long" }).format(value);
  if (h === 0) return unit(m, "minute");
  if (m === 0) return unit(h, "hour");
  return new Intl.ListFormat(localeTags[locale], { style: "long", type: "unit" }).format([unit(h, "hour"), unit(m, "minute")]);
}
