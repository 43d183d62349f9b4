// The app's icons: 24 × 24 line drawings (stroke, no fill), drawn for VaoRa
// and bundled as path data, so nothing is fetched and they take the text's
// colour. Each is decorative: the text beside it, or an aria-label, says
// what it means.

export const icons = {
  scan: "M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3M7 12h10",
  journal: "M6 3h12a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM9 8h6M9 12h6M9 16h4",
  declare: "M9 3h6v3H9zM7 4.5H5.5A.5.5 0 0 0 5 5v15a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V5a.5.5 0 0 0-.5-.5H17M9 13l2 2 4-4",
  family:
    "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20a6 6 0 0 1 12 0M16 5.2a3 3 0 0 1 0 5.6M18 14.5a6 6 0 0 1 3 5.5",
  alerts: "M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4",
  settings: "M4 6h9M17 6h3M15 4v4M4 12h3M11 12h9M9 10v4M4 18h11M19 18h1M17 16v4",
  gate: "M6 21V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v17M3 21h18M14 12v.5",
  check: "M5 12.5l4.5 4.5L19 7.5",
  warning: "M12 3.5l9.5 16.5h-19zM12 10v4.5M12 17.5v.5",
  camera: "M4 8h3l2-3h6l2 3h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1zM12 17a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z",
  image: "M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM3 16l5-5 4 4 3-3 6 6M15.5 8.5v.5",
  close: "M6 6l12 12M18 6L6 18",
  chevron: "M9 5l7 7-7 7",
  shield: "M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6zM8.5 12l2.5 2.5 4.5-4.5",
  plus: "M12 5v14M5 12h14",
} as const;

export type IconName = keyof typeof icons;
