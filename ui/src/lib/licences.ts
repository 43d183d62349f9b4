// What VaoRa is built with and under which licence, for Settings → About.
// Names and licence identifiers are not translated.

export interface Licence {
  name: string;
  licence: string;
  use: "font" | "ui" | "app" | "data";
}

export const licences: readonly Licence[] = [
  { name: "Be Vietnam Pro", licence: "SIL OFL 1.1", use: "font" },
  { name: "Svelte", licence: "MIT", use: "ui" },
  { name: "Tauri", licence: "MIT / Apache-2.0", use: "app" },
  { name: "rqrr", licence: "MIT / Apache-2.0", use: "app" },
  { name: "SQLite, SQLCipher", licence: "Public domain, BSD-3-Clause", use: "app" },
  { name: "OpenSSL", licence: "Apache-2.0", use: "app" },
  { name: "ed25519-dalek, crypto_box", licence: "BSD-3-Clause, MIT / Apache-2.0", use: "app" },
  { name: "vietnamadminunits", licence: "MIT", use: "data" },
];
