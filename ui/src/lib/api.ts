// The only place the UI talks to the Rust side. Each function mirrors one
// Tauri command in src-tauri/src/commands.rs.

import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { isLocale, type Locale } from "./messages";

export interface HomeView {
  language: Locale;
  visitsTotal: number;
  visitsToday: number;
  openVisits: number;
  outboxPending: number;
  journalPath: string | null;
  movedAside: string | null;
  keyHome: "keystore" | "file" | null;
  retentionDays: number;
  /** Open visits whose check-out reminder is due. */
  checkOutDue: VisitView[];
  sync: SyncView;
}

export interface SyncView {
  running: boolean;
  /** Records settled of those waiting when this sync started. */
  progress: { settled: number; total: number } | null;
  lastSuccessMs: number | null;
  /** Why the last attempt failed (a message key); null after a success. */
  errorKey: string | null;
  /** Records the server refused, kept on the device. */
  rejected: number;
}

export type CheckoutKind = "manual" | "stay_over" | "next_check_in";
export type VisitSource = "scan" | "manual" | "gate";

export interface VisitView {
  id: string;
  /** Who on this phone made the visit. */
  person: number;
  placeName: string;
  entrance: number;
  checkedInMs: number;
  plannedCheckoutMs: number | null;
  checkedOutMs: number | null;
  checkout: CheckoutKind | null;
  source: VisitSource;
  verified: boolean;
  unverifiedReason: string | null;
  /** From the signed venue directory, once sync has brought it. */
  venueName?: string | null;
  venueAddress?: string | null;
}

export type ScanView =
  | { kind: "noCode" }
  | { kind: "checkedIn"; visits: VisitView[] }
  | { kind: "alreadyCheckedIn"; visits: VisitView[] }
  | { kind: "unverified"; reason: string; placeName: string | null; text: string | null }
  | { kind: "notACheckpoint"; what: "url" | "text" | "cccd" | "pass" };

const offsetMinutes = (): number => -new Date().getTimezoneOffset();

/** A failure the UI can explain: `key` is a message key. */
export class ApiError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

async function call<T>(command: string, args?: Record<string, unknown> | Uint8Array): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const key =
      typeof e === "object" && e !== null && typeof (e as { key?: unknown }).key === "string"
        ? (e as { key: string }).key
        : "error.unknown";
    throw new ApiError(key);
  }
}

export function home(dayStart: Date): Promise<HomeView> {
  return call<HomeView>("home", { dayStartMs: dayStart.getTime(), offsetMinutes: offsetMinutes() });
}

export interface RejectedView {
  placeName: string | null;
  checkedInMs: number | null;
  /** Why the server refused it (a message key). */
  reasonKey: string;
}

/** Records the server refused, newest first; they stay on the device. */
export function rejectedRecords(): Promise<RejectedView[]> {
  return call<RejectedView[]>("rejected_records", {});
}

/** Asks for a sync now; progress arrives through `onJournalChanged`. */
export function syncNow(): Promise<void> {
  return call<void>("sync_now", {});
}

/**
 * Calls `onchange` when the journal changed outside the UI (a check-out
 * from a notification, a reminder raised). Returns the unsubscribe.
 */
export function onJournalChanged(onchange: () => void): Promise<() => void> {
  return listen("journal-changed", onchange);
}

export async function setLanguage(language: Locale): Promise<Locale> {
  const saved = await call<string>("set_language", { language });
  return isLocale(saved) ? saved : "vi";
}

export function setRetentionDays(days: number): Promise<number> {
  return call<number>("set_retention_days", { days });
}

/** Sends the picture's bytes as a raw IPC body (not a JSON array). */
export function scanImage(bytes: Uint8Array): Promise<ScanView> {
  return call<ScanView>("scan_image", bytes);
}

/** One camera frame: see `grayFrame` in camera.ts for the layout. */
export function scanFrame(frame: Uint8Array): Promise<ScanView> {
  return call<ScanView>("scan_frame", frame);
}

/** A camera the computer has, read natively (nokhwa) when the webview has none. */
export interface CameraView {
  index: number;
  name: string;
}

/** The computer's cameras; rejects with `camera.problem.*` (phones: unsupported). */
export function desktopCameras(): Promise<CameraView[]> {
  return call<CameraView[]>("desktop_cameras");
}

/** Reads camera `index` natively until a code is seen or `seconds` pass. */
export function scanDesktopCamera(index: number, seconds: number): Promise<ScanView> {
  return call<ScanView>("scan_desktop_camera", { index, seconds });
}

export function checkInUnverified(text: string): Promise<ScanView> {
  return call<ScanView>("check_in_unverified", { text });
}

export function journalPage(after: VisitView | null, limit: number): Promise<VisitView[]> {
  return call<VisitView[]>("journal_page", {
    afterMs: after?.checkedInMs ?? null,
    afterId: after?.id ?? null,
    limit,
  });
}

export function addManualVisit(
  name: string,
  checkedIn: Date,
  checkedOut: Date | null,
): Promise<VisitView> {
  return call<VisitView>("add_manual_visit", {
    name,
    checkedInMs: checkedIn.getTime(),
    checkedOutMs: checkedOut?.getTime() ?? null,
  });
}

export function checkOut(id: string): Promise<VisitView> {
  return call<VisitView>("check_out", { id });
}

export function deleteVisit(id: string): Promise<void> {
  return call<void>("delete_visit", { id });
}

export type ExportKind = "csv" | "json" | "pdf";

/**
 * Writes the visits that started in `[from, to)` (CSV, JSON, or a PDF
 * timeline for a tracing interview); returns the written file's path.
 */
export function exportJournal(kind: ExportKind, from: Date, to: Date): Promise<string> {
  return call<string>("export_journal", {
    kind,
    fromMs: from.getTime(),
    toMs: to.getTime(),
    offsetMinutes: offsetMinutes(),
  });
}

/** Writes one visit alone as a one-page PDF; returns the file's path. */
export function saveVisitRecord(id: string): Promise<string> {
  return call<string>("save_visit_record", { id, offsetMinutes: offsetMinutes() });
}

export interface Person {
  id: number;
  /** What the owner calls this person; empty for the owner until named. */
  display_name: string;
  relation: "me" | "dependent";
}

export function people(): Promise<Person[]> {
  return call<Person[]>("people", {});
}

export function addDependent(name: string): Promise<Person> {
  return call<Person>("add_dependent", { name });
}

export interface PlaceView {
  province: number;
  /** Absent for a province. */
  commune: number | null;
  name: string;
  provinceName: string;
}

/** Provinces and communes (2025 units) matching `query`; diacritics optional. */
export function searchPlaces(query: string, province: number | null): Promise<PlaceView[]> {
  return call<PlaceView[]>("search_places", { query, province });
}

export type IdKind = "cccd" | "cmnd" | "passport" | "none";
export type Sex = "male" | "female" | "other";
export type Symptom = "fever" | "cough" | "shortness_of_breath" | "pneumonia" | "sore_throat" | "fatigue";
export type Exposure = "case" | "from_outbreak_country" | "symptomatic_person";
export type Condition =
  | "liver"
  | "blood"
  | "lung"
  | "kidney"
  | "heart"
  | "hypertension"
  | "immunodeficiency"
  | "transplant"
  | "diabetes"
  | "cancer"
  | "pregnancy";

/** The form exactly as typed: core validates it (`DeclarationForm`). */
export interface DeclarationForm {
  fullName: string;
  idKind: IdKind | null;
  idNumber: string;
  birthYear: string;
  sex: Sex | null;
  nationality: string;
  province: number | null;
  commune: number | null;
  street: string;
  phone: string;
  email: string;
  travelled: boolean;
  travelPlaces: string;
  symptoms: Symptom[];
  exposures: Exposure[];
  conditions: Condition[];
  vaccineDoses: number | null;
  lastDoseOn: string;
  consent: boolean;
}

export interface DraftView {
  form: DeclarationForm;
  place: PlaceView | null;
}

export function declarationDraft(person: number): Promise<DraftView> {
  return call<DraftView>("declaration_draft", { person });
}

export interface FieldError {
  field: string;
  key: string;
}

export type SubmitView =
  | { kind: "saved"; id: string; givenName: string; needsAttention: boolean }
  | { kind: "invalid"; errors: FieldError[] };

export function submitDeclaration(
  person: number,
  form: DeclarationForm,
  visit: string | null = null,
): Promise<SubmitView> {
  return call<SubmitView>("submit_declaration", { person, visit, form });
}

export interface PassView {
  givenName: string;
  declaredOn: string;
  qr: { width: number; path: string };
  text: string;
}

export function personalPass(person: number): Promise<PassView> {
  return call<PassView>("personal_pass", { person });
}

export interface GateBinding {
  venue: number;
  entrance: number;
  venueName: string;
}

export interface GateEntry {
  id: string;
  venue: number;
  entrance: number;
  givenName: string;
  needsAttention: boolean;
  checkedInAt: string;
  checkedOutAt: string | null;
  voided: boolean;
}

export interface GateView {
  binding: GateBinding | null;
  counters: { entered: number; left: number; inside: number };
  entries: GateEntry[];
}

export function gateView(dayStart: Date): Promise<GateView> {
  return call<GateView>("gate_view", { dayStartMs: dayStart.getTime() });
}

export function gateBind(venue: number, entrance: number, registrarToken: string): Promise<GateBinding> {
  return call<GateBinding>("gate_bind", { venue, entrance, registrarToken });
}

export interface CardPrefill {
  form: DeclarationForm;
  communeCandidates: number[];
  unconvertedAddress: string | null;
  problems: string[];
}

export type GateRead =
  | { kind: "noCode" }
  | { kind: "card"; prefill: CardPrefill; place: PlaceView | null; candidates: PlaceView[] }
  | { kind: "pass"; givenName: string; declaredOn: string; text: string }
  | { kind: "other"; key: string };

/** Reads a card or pass from a picture's bytes (raw IPC body). */
export function gateReadImage(bytes: Uint8Array): Promise<GateRead> {
  return call<GateRead>("gate_read_image", bytes);
}

/** One frame of the gate's live camera (see `grayFrame` in camera.ts). */
export function gateReadFrame(frame: Uint8Array): Promise<GateRead> {
  return call<GateRead>("gate_read_frame", frame);
}

export type GateSave =
  | { kind: "entered"; entry: GateEntry }
  | { kind: "alreadyEntered"; entry: GateEntry }
  | { kind: "invalid"; errors: FieldError[] };

export function gateEnterForm(form: DeclarationForm): Promise<GateSave> {
  return call<GateSave>("gate_enter_form", { form });
}

export function gateEnterPass(text: string): Promise<GateSave> {
  return call<GateSave>("gate_enter_pass", { text });
}

/** Checks out at an exit gate whoever holds this card (ID number) or pass. */
export function gateExit(who: { idNumber: string } | { pass: string }): Promise<GateEntry> {
  return call<GateEntry>("gate_exit", {
    idNumber: "idNumber" in who ? who.idNumber : null,
    pass: "pass" in who ? who.pass : null,
  });
}

export function gateCheckOut(id: string): Promise<GateEntry> {
  return call<GateEntry>("gate_check_out", { id });
}

export function gateVoid(id: string): Promise<GateEntry> {
  return call<GateEntry>("gate_void", { id });
}

export interface GateCodeView {
  qr: { width: number; path: string };
  /** Milliseconds until the next code. */
  nextInMs: number;
}

/** The gate's rotating code now (changes every 30 seconds). */
export function gateCode(): Promise<GateCodeView> {
  return call<GateCodeView>("gate_code", {});
}

export interface AlertView {
  placeName: string;
  checkedInMs: number;
  exposureFromMs: number;
  exposureToMs: number;
  /** Zero: shortly before or after the case's time there. */
  overlapMinutes: number;
  adviceVi: string;
  adviceEn: string;
}

/** Exposure alerts raised on this device, newest exposure first. */
export function alerts(): Promise<AlertView[]> {
  return call<AlertView[]>("alerts", {});
}

export interface AboutView {
  version: string;
  /** Where sync sends records and fetches keys and alerts. */
  serverUrl: string;
  /** Set in Settings rather than built in. */
  customServer: boolean;
}

/** Syncs with another server from now on; `null` or "": the built-in one. */
export function setServerUrl(url: string | null): Promise<AboutView> {
  return call<AboutView>("set_server_url", { url });
}

/** The app's version and the server it syncs with, for Settings. */
export function about(): Promise<AboutView> {
  return call<AboutView>("about", {});
}
