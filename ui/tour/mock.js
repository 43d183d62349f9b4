// @ts-check
// The Rust side, played in the browser for the screenshot tour and the
// accessibility check: `mockIPC` answers every command the UI sends with
// the same shapes src-tauri returns (views.rs), filled with a plausible
// Vietnamese journal. Loaded before the app's own script (tour.mjs puts it
// in the page). The query string picks the situation:
//   locale=vi|en   the saved language
//   gate=1         a device bound to a gate
//   scan=checkedIn|unverified   what the next scanned picture is
//   long=1         a journal of 3,000 visits, paged as the journal pages
//   frames=N       the camera's Nth frame holds a code (before it, none)
//   alerts=0       no exposure alert (as on a first run)
//   native=1       the computer has a camera the webview cannot use (nokhwa)
import { mockIPC } from "/__tour/api/mocks.js";

const query = new URLSearchParams(location.search);
const state = {
  language: query.get("locale") === "en" ? "en" : "vi",
  gate: query.get("gate") === "1",
  scan: query.get("scan") ?? "checkedIn",
  retentionDays: 21,
  long: query.get("long") === "1",
  framesUntilCode: Number(query.get("frames") ?? 0),
  frames: 0,
};

// Times relative to a fixed moment of the day, so screenshots read the same
// every run: today 08:05 and so on, in the browser's time zone.
const today = new Date();
today.setHours(0, 0, 0, 0);
const at = (daysAgo, hour, minute) => today.getTime() - daysAgo * 86_400_000 + (hour * 60 + minute) * 60_000;

/** A visit as VisitView (src-tauri/src/views.rs). */
function visit(id, placeName, inMs, outMs, extra = {}) {
  return {
    id: `0193a1c2-0000-7000-8000-${String(id).padStart(12, "0")}`,
    person: 1,
    placeName,
    entrance: 1,
    checkedInMs: inMs,
    plannedCheckoutMs: outMs === null ? inMs + 60 * 60_000 : null,
    checkedOutMs: outMs,
    checkout: outMs === null ? null : "manual",
    source: "scan",
    verified: true,
    unverifiedReason: null,
    ...extra,
  };
}

const visits = [
  visit(1, "UBND phường Đống Đa", at(0, 10, 30), null),
  visit(2, "Chợ Bến Thành", at(0, 8, 5), at(0, 9, 10)),
  visit(3, "Quán phở Thìn Lò Đúc", at(1, 19, 0), at(1, 19, 45), {
    verified: false,
    unverifiedReason: "scan.venue.unknownKey",
  }),
  visit(4, "Nhà văn hoá thôn 3", at(1, 15, 0), at(1, 16, 30), { source: "manual", entrance: 0 }),
  visit(5, "Bệnh viện Bạch Mai", at(3, 7, 40), at(3, 11, 15), { checkout: "stay_over" }),
  visit(6, "Ga Hà Nội", at(4, 17, 20), at(4, 18, 0), { entrance: 2 }),
];

const alerts = [
  {
    placeName: "Chợ Đồng Xuân",
    checkedInMs: at(2, 9, 15),
    exposureFromMs: at(2, 9, 0),
    exposureToMs: at(2, 9, 40),
    overlapMinutes: 25,
    adviceVi: "Theo dõi sức khoẻ 14 ngày; gọi 1900 9095 nếu sốt, ho hoặc khó thở.",
    adviceEn: "Watch your health for 14 days; call 1900 9095 if you have a fever, cough or trouble breathing.",
  },
  {
    placeName: "Siêu thị Co.opmart Lý Thường Kiệt",
    checkedInMs: at(5, 18, 10),
    exposureFromMs: at(5, 17, 0),
    exposureToMs: at(5, 18, 0),
    overlapMinutes: 0,
    adviceVi: "",
    adviceEn: "",
  },
];

const family = [
  { id: 1, display_name: "", relation: "me" },
  { id: 2, display_name: "Bé Na", relation: "dependent" },
  { id: 3, display_name: "Bà nội", relation: "dependent" },
];

const place = { province: 1, commune: 4, name: "Phường Đống Đa", provinceName: "Hà Nội" };

const form = {
  fullName: "Nguyễn Thị Mai",
  idKind: "cccd",
  idNumber: "001185001234",
  birthYear: "1985",
  sex: "female",
  nationality: "Việt Nam",
  province: 1,
  commune: 4,
  street: "12 ngõ 34 Tôn Đức Thắng",
  phone: "0912345678",
  email: "",
  travelled: false,
  travelPlaces: "",
  symptoms: [],
  exposures: [],
  conditions: [],
  vaccineDoses: 3,
  lastDoseOn: "2025-10-02",
  consent: false,
};

/** A QR-looking path (finder patterns and a fixed scatter), width 29 modules. */
function qrPath() {
  const parts = [];
  const finder = (x, y) => parts.push(`M${x} ${y}h7v7h-7zM${x + 1} ${y + 1}v5h5v-5zM${x + 2} ${y + 2}h3v3h-3z`);
  finder(2, 2);
  finder(20, 2);
  finder(2, 20);
  let seed = 7;
  for (let y = 2; y < 27; y++) {
    for (let x = 2; x < 27; x++) {
      const inFinder = (x < 10 && y < 10) || (x > 18 && y < 10) || (x < 10 && y > 18);
      seed = (seed * 1103515245 + 12345) % 2147483648;
      if (!inFinder && seed % 5 < 2) parts.push(`M${x} ${y}h1v1h-1z`);
    }
  }
  return { width: 31, path: parts.join("") };
}

const gateEntries = [
  {
    id: "g1",
    venue: 12,
    entrance: 2,
    givenName: "An",
    needsAttention: false,
    checkedInAt: new Date(at(0, 7, 55)).toISOString(),
    checkedOutAt: new Date(at(0, 9, 20)).toISOString(),
    voided: false,
  },
  {
    id: "g2",
    venue: 12,
    entrance: 2,
    givenName: "Bình",
    needsAttention: true,
    checkedInAt: new Date(at(0, 8, 12)).toISOString(),
    checkedOutAt: null,
    voided: false,
  },
  {
    id: "g3",
    venue: 12,
    entrance: 2,
    givenName: "Mai",
    needsAttention: false,
    checkedInAt: new Date(at(0, 8, 40)).toISOString(),
    checkedOutAt: null,
    voided: false,
  },
];

/** One every 9 minutes, newest an hour ago, as journal_page pages them (keyset, newest first). */
function longPage(args) {
  const all = Array.from({ length: 3000 }, (_, n) => {
    const inMs = Date.now() - (60 + 9 * n) * 60_000;
    return visit(100 + n, `Nơi ghé số ${n}`, inMs, inMs + 5 * 60_000, { source: "manual" });
  });
  const start = args.afterId === null ? 0 : all.findIndex((v) => v.id === args.afterId) + 1;
  return all.slice(start, start + args.limit);
}

function home() {
  return {
    language: state.language,
    visitsTotal: visits.length,
    visitsToday: 2,
    openVisits: 1,
    outboxPending: 2,
    journalPath: "/home/mai/.local/share/vn.vaora.checkin/journal.db",
    movedAside: null,
    keyHome: "keystore",
    retentionDays: state.retentionDays,
    checkOutDue: [],
    sync: { running: false, progress: null, lastSuccessMs: at(0, 9, 12), errorKey: null, rejected: 0 },
  };
}

function scanResult() {
  if (state.scan === "unverified") {
    return {
      kind: "unverified",
      reason: "scan.venue.unknownKey",
      placeName: "Quán phở Thìn Lò Đúc",
      text: "HTTPS://VAORA.VN/V/EXAMPLE",
    };
  }
  return { kind: "checkedIn", visits: [visit(9, "Chợ Bến Thành", Date.now(), null)] };
}

const handlers = {
  home,
  about: () => ({ version: "0.1.0", serverUrl: "https://api.vaora.vn" }),
  set_language: (args) => (state.language = args.language),
  set_retention_days: (args) => (state.retentionDays = args.days),
  journal_page: (args) => (state.long ? longPage(args) : args.afterMs === null ? visits : []),
  rejected_records: () => [],
  sync_now: () => null,
  alerts: () => (state.gate || query.get("alerts") === "0" ? [] : alerts),
  scan_image: () => scanResult(),
  desktop_cameras: () => {
    if (query.get("native") !== "1") throw { key: "camera.problem.none" };
    return [{ index: 0, name: "Integrated Camera" }];
  },
  scan_desktop_camera: () => scanResult(),
  scan_frame: () => {
    state.frames += 1;
    return state.framesUntilCode > 0 && state.frames >= state.framesUntilCode ? scanResult() : { kind: "noCode" };
  },
  check_in_unverified: () => ({
    kind: "checkedIn",
    visits: [visit(10, "Quán phở Thìn Lò Đúc", Date.now(), null, { verified: false })],
  }),
  check_out: (args) => ({ ...visits.find((v) => v.id === args.id), checkedOutMs: Date.now() }),
  delete_visit: () => null,
  add_manual_visit: (args) => visit(11, args.name, args.checkedInMs, args.checkedOutMs, { source: "manual" }),
  export_journal: () => "/home/mai/Downloads/vaora-nhat-ky.pdf",
  save_visit_record: () => "/home/mai/Downloads/vaora-luot-ghe.pdf",
  people: () => family,
  add_dependent: (args) => ({ id: 4, display_name: args.name, relation: "dependent" }),
  search_places: () => [place],
  declaration_draft: () => ({ form: { ...form }, place }),
  submit_declaration: () => ({ kind: "saved", id: "d1", givenName: "Mai", needsAttention: false }),
  personal_pass: () => ({ givenName: "Mai", declaredOn: "2026-11-29", qr: qrPath(), text: "VR1P…" }),
  gate_view: () =>
    state.gate
      ? {
          binding: { venue: 12, entrance: 2, venueName: "Chợ Đồng Xuân" },
          counters: { entered: 3, left: 1, inside: 2 },
          entries: gateEntries,
        }
      : { binding: null, counters: { entered: 0, left: 0, inside: 0 }, entries: [] },
  gate_code: () => ({ qr: qrPath(), nextInMs: 30_000 }),
  // The gate's live camera: the Nth frame holds Mai's ID card.
  gate_read_frame: () => {
    state.frames += 1;
    return state.framesUntilCode > 0 && state.frames === state.framesUntilCode
      ? { kind: "card", prefill: { form: { ...form }, unconvertedAddress: null }, place, candidates: [] }
      : { kind: "noCode" };
  },
  gate_enter_form: () => ({ kind: "entered", entry: gateEntries[0] }),
};

// How many camera frames the UI has sent, for the tour's checks.
Object.defineProperty(window, "__tourFrames", { get: () => state.frames });

mockIPC(
  (cmd, args) => {
    const handler = handlers[cmd];
    if (!handler) throw { key: "error.unknown" };
    return handler(args ?? {});
  },
  { shouldMockEvents: true },
);
