import { formatNumber, translate, type Locale, type MessageKey, type Params } from "./messages";

/** The current interface language; Vietnamese until the journal says otherwise. */
export const i18n = $state<{ locale: Locale }>({ locale: "vi" });

export function t(key: MessageKey, params?: Params): string {
  return translate(i18n.locale, key, params);
}

export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  document.documentElement.lang = locale;
}

/** A count in the current language's digits grouping. */
export function num(value: number): string {
  return formatNumber(value, i18n.locale);
}
