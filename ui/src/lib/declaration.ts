// The declaration form's fixed choices and how field errors map onto
// inputs. The words are in the message catalogs; the rules are in core.

import type { Condition, Exposure, FieldError, IdKind, Sex, Symptom } from "./api";

export const idKinds: IdKind[] = ["cccd", "cmnd", "passport", "none"];
export const sexes: Sex[] = ["male", "female", "other"];
export const symptoms: Symptom[] = [
  "fever",
  "cough",
  "shortness_of_breath",
  "pneumonia",
  "sore_throat",
  "fatigue",
];
export const exposures: Exposure[] = ["case", "from_outbreak_country", "symptomatic_person"];
export const conditions: Condition[] = [
  "liver",
  "blood",
  "lung",
  "kidney",
  "heart",
  "hypertension",
  "immunodeficiency",
  "transplant",
  "diabetes",
  "cancer",
  "pregnancy",
];

/** The first message for each field, so each input shows one sentence. */
export function errorsByField(errors: FieldError[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const e of errors) {
    if (!byField.has(e.field)) byField.set(e.field, e.key);
  }
  return byField;
}

/** Adds or removes `item`, keeping the list's order stable. */
export function toggle<T>(list: T[], item: T, on: boolean): T[] {
  const without = list.filter((x) => x !== item);
  return on ? [...without, item] : without;
}
