// The app's screens and which of them the navigation offers. A phone of a
// person gets the personal screens; a device bound to a gate opens on the
// gate and keeps only what gate staff need.

export type Tab = "scan" | "journal" | "declare" | "family" | "alerts" | "settings" | "gate";

export const PERSONAL_TABS: readonly Tab[] = ["scan", "journal", "declare", "family", "alerts", "settings"];
export const GATE_TABS: readonly Tab[] = ["gate", "settings"];

export function tabsFor(gateBound: boolean): readonly Tab[] {
  return gateBound ? GATE_TABS : PERSONAL_TABS;
}

/** The screen the app opens on. */
export function homeTab(gateBound: boolean): Tab {
  return gateBound ? "gate" : "scan";
}

/**
 * The screen to show after the device's kind is known or changes: the home
 * of the new kind when the current screen is not offered, else the same one.
 * The gate screen stays reachable before binding (set up from Settings).
 */
export function settle(current: Tab, gateBound: boolean, wasGateBound: boolean): Tab {
  if (gateBound !== wasGateBound) return homeTab(gateBound);
  if (current === "gate" && !gateBound) return current;
  return tabsFor(gateBound).includes(current) ? current : homeTab(gateBound);
}
