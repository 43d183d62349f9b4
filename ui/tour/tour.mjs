// @ts-check
// The screenshot tour and the accessibility check, on the built UI (ui/dist)
// in Debian's Chromium with the Rust side played by mock.js (mockIPC):
//   - every screen, in Vietnamese and English, at 360×640 and 1280×800
//     (and two in the dark theme), as PNGs under target/screenshots/tour/;
//   - axe-core on every one of them: no serious or critical violation;
//   - at 200 % text size on a phone, no screen scrolls sideways;
//   - the UI bundle's gzipped size and the time from page start to a live
//     camera frame (Chromium's fake camera), printed and saved as JSON.
// Exits non-zero on any failure. Run: node ui/tour/tour.mjs (after the build).
import { createServer } from "node:http";
import { readFile, readdir, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const ui = join(here, "..");
const dist = join(ui, "dist");
const out = join(ui, "..", "target", "screenshots", "tour");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** ui/dist, with mock.js loaded before the app; /__tour/api/ is @tauri-apps/api. */
function serve() {
  const roots = {
    "/__tour/api/": join(ui, "node_modules", "@tauri-apps", "api"),
    "/__tour/": here,
    "/": dist,
  };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const prefix = Object.keys(roots).find((p) => path.startsWith(p)) ?? "/";
    const root = roots[/** @type {keyof typeof roots} */ (prefix)];
    const file = normalize(join(root, path.slice(prefix.length) || "index.html"));
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    let body = await readFile(file);
    if (file === join(dist, "index.html")) {
      const html = body.toString("utf8");
      const mock = '<script type="module" src="/__tour/mock.js"></script>';
      body = Buffer.from(html.replace('<script type="module"', `${mock}\n    <script type="module"`));
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** A 1×1 PNG: the mock decides what "scanning" it finds. */
const picture = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** @typedef {import("playwright-core").Page} Page */
/** @type {(tab: string) => (page: Page) => Promise<void>} */
const nav = (tab) => async (page) => page.click(`[data-testid=nav-${tab}]`);
/** @type {(page: Page) => Promise<void>} */
const scanPicture = async (page) =>
  page.setInputFiles("[data-testid=scan-image-input]", { name: "poster.png", mimeType: "image/png", buffer: picture });

/**
 * Every screen: how to get there and what shows it is there.
 * @type {{ name: string, query?: Record<string, string>, firstRun?: boolean, theme?: string,
 *          steps?: ((page: Page) => Promise<void>)[], ready: string }[]}
 */
const screens = [
  { name: "scan-first-run", firstRun: true, query: { alerts: "0" }, ready: "first-run" },
  { name: "scan-checked-in", steps: [scanPicture], ready: "scan-result-declare" },
  { name: "scan-unverified", query: { scan: "unverified" }, steps: [scanPicture], ready: "record-unverified" },
  { name: "journal", steps: [nav("journal")], ready: "visit" },
  { name: "visit-detail", steps: [nav("journal"), (p) => p.click("[data-testid=visit] >> nth=0")], ready: "visit-detail" },
  { name: "declare", steps: [nav("declare"), (p) => p.click("[data-testid=declare-open]")], ready: "declare-form" },
  {
    name: "declare-from-scan",
    steps: [scanPicture, (p) => p.click("[data-testid=scan-result-declare]")],
    ready: "decl-place-chosen-name",
  },
  { name: "family", steps: [nav("family")], ready: "family-member" },
  { name: "alerts", steps: [nav("alerts")], ready: "alert" },
  { name: "alert-detail", steps: [nav("alerts"), (p) => p.click("[data-testid=alert] >> nth=0")], ready: "alert-advice" },
  { name: "settings", steps: [nav("settings")], ready: "settings-version" },
  { name: "gate-set-up", steps: [nav("settings"), (p) => p.click("[data-testid=gate-open]")], ready: "gate-bind" },
  { name: "gate", query: { gate: "1" }, ready: "gate-bound" },
  { name: "gate-code", query: { gate: "1" }, steps: [(p) => p.click("[data-testid=gate-code-toggle]")], ready: "gate-code" },
  { name: "scan-checked-in-dark", theme: "dark", steps: [scanPicture], ready: "scan-result-declare" },
  { name: "journal-dark", theme: "dark", steps: [nav("journal")], ready: "visit" },
];
const sizes = [
  { name: "360x640", width: 360, height: 640 },
  { name: "1280x800", width: 1280, height: 800 },
];
const locales = ["vi", "en"];

/** @param {import("playwright-core").Browser} browser */
async function open(browser, base, screen, locale, size, textScale = 1) {
  const context = await browser.newContext({
    viewport: { width: size.width, height: size.height },
    locale: locale === "vi" ? "vi-VN" : "en-GB",
    timezoneId: "Asia/Ho_Chi_Minh",
    reducedMotion: "reduce",
  });
  await context.addInitScript(
    ([seen, theme]) => {
      if (seen) localStorage.setItem("vaora.firstRunSeen", "1");
      if (theme) localStorage.setItem("vaora.theme", theme);
    },
    [!screen.firstRun, screen.theme ?? null],
  );
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const query = new URLSearchParams({ locale, ...(screen.query ?? {}) });
  await page.goto(`${base}/?${query}`);
  if (textScale !== 1) {
    await page.evaluate((s) => (document.documentElement.style.fontSize = `${s * 100}%`), textScale);
  }
  await page.waitForSelector("[data-testid=nav-settings]");
  for (const step of screen.steps ?? []) await step(page);
  await page.waitForSelector(`[data-testid=${screen.ready}]`);
  await page.evaluate(() => document.fonts.ready);
  return { context, page, errors };
}

const axeSource = await readFile(join(ui, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Serious and critical axe-core violations on the page as it is now. */
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is the script just added
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return result.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Elements wider than their scrolling box: the page must not scroll sideways. */
async function sideways(page) {
  return page.evaluate(() =>
    [document.scrollingElement, ...document.querySelectorAll("[data-scroll], [role=dialog]")]
      .filter((el) => el && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el?.tagName.toLowerCase()} ${el?.scrollWidth}>${el?.clientWidth}`),
  );
}

async function bundleSize() {
  const assets = join(dist, "assets");
  const files = (await readdir(assets)).filter((f) => f.endsWith(".js") || f.endsWith(".css"));
  let code = gzipSync(await readFile(join(dist, "index.html"))).length;
  for (const f of files) code += gzipSync(await readFile(join(assets, f))).length;
  let fonts = 0;
  for (const f of (await readdir(assets)).filter((f) => f.endsWith(".woff2"))) {
    fonts += (await readFile(join(assets, f))).length;
  }
  return { codeGzipBytes: code, fontsWoff2Bytes: fonts };
}

/** Chromium with its fake camera (a moving test picture) and no prompt. */
function fakeCameraBrowser() {
  return chromium.launch({
    executablePath,
    args: [...chromiumArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
  });
}

/**
 * The gate's live camera: the third frame holds an ID card, the form
 * fills itself and scanning pauses while staff confirm; once confirmed,
 * the camera looks for the next person without being opened again.
 */
async function gateLive(base) {
  const browser = await fakeCameraBrowser();
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  await context.grantPermissions(["camera"], { origin: base });
  await context.addInitScript(() => localStorage.setItem("vaora.firstRunSeen", "1"));
  const page = await context.newPage();
  const frames = () => page.evaluate(() => /** @type {any} */ (window).__tourFrames);
  try {
    await page.goto(`${base}/?locale=vi&gate=1&frames=3`);
    await page.waitForSelector("[data-testid=gate-form]", { timeout: 10_000 });
    const name = await page.inputValue("[data-testid=decl-fullName]");
    const paused = await frames();
    await page.waitForTimeout(800);
    const problems = [];
    if (name !== "Nguyễn Thị Mai") problems.push(`gate live camera: the form holds "${name}"`);
    if ((await frames()) !== paused) problems.push("gate live camera: frames still sent while the form waits");
    await page.screenshot({ path: join(out, "gate-live-card-vi-phone.png") });
    await page.click("[data-testid=gate-confirm]");
    await page.waitForSelector("[data-testid=gate-status]", { timeout: 10_000 });
    await page.waitForFunction((n) => /** @type {any} */ (window).__tourFrames > n, paused, { timeout: 10_000 });
    if ((await page.$("[data-testid=camera-preview]")) === null) problems.push("gate live camera: closed after a person");
    return problems;
  } catch (e) {
    return [`gate live camera: ${e instanceof Error ? e.message : e}`];
  } finally {
    await browser.close();
  }
}

/**
 * Page start to the first live frame of Chromium's fake camera, median of 5;
 * and the scan loop on that camera: frames go to Rust until the third holds
 * a code, then the camera stops and the result sheet opens (`loopWorks`).
 */
async function cameraReady(base) {
  const browser = await fakeCameraBrowser();
  const times = [];
  let loopWorks = true;
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
    await context.grantPermissions(["camera"], { origin: base });
    await context.addInitScript(() => localStorage.setItem("vaora.firstRunSeen", "1"));
    const page = await context.newPage();
    await page.goto(`${base}/?locale=vi&frames=3`);
    const ms = await page.waitForFunction(
      () => performance.getEntriesByName("camera-ready")[0]?.startTime,
      undefined,
      { timeout: 10_000 },
    );
    times.push(Number(await ms.jsonValue()));
    try {
      await page.waitForSelector("[data-testid=scan-result-declare]", { timeout: 10_000 });
      if ((await page.$("video")) !== null) loopWorks = false;
    } catch {
      loopWorks = false;
    }
    await context.close();
  }
  await browser.close();
  times.sort((a, b) => a - b);
  return { medianMs: Math.round(times[2] ?? NaN), runsMs: times.map(Math.round), loopWorks };
}

/**
 * A webview without a camera of its own on a computer that has one: the
 * Scan screen offers the computer's camera (read natively by nokhwa), and
 * scanning with it opens the result sheet (decision 0010).
 */
async function nativeCamera(browser, base) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 } });
  // Allowed, but Chromium here has no camera device: NotFoundError ("none").
  await context.grantPermissions(["camera"], { origin: base });
  await context.addInitScript(() => localStorage.setItem("vaora.firstRunSeen", "1"));
  const page = await context.newPage();
  try {
    await page.goto(`${base}/?locale=vi&native=1`);
    await page.click("[data-testid=camera-open]");
    const offer = await page.waitForSelector("[data-testid=native-camera]", { timeout: 10_000 });
    const words = (await offer.textContent())?.trim();
    await page.screenshot({ path: join(out, "scan-native-camera-vi-phone.png") });
    await offer.click();
    await page.waitForSelector("[data-testid=scan-result-declare]", { timeout: 10_000 });
    return words === "Quét bằng Integrated Camera" ? [] : [`native camera: offered as "${words}"`];
  } catch (e) {
    return [`native camera: ${e instanceof Error ? e.message : e}`];
  } finally {
    await context.close();
  }
}

async function main() {
  if (!existsSync(join(dist, "index.html"))) throw new Error("ui/dist is missing: npm --prefix ui run build");
  await mkdir(out, { recursive: true });
  const server = await serve();
  const base = `http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}`;
  const browser = await chromium.launch({ executablePath, args: chromiumArgs });
  const failures = [];
  /** Checks run and those that failed (one axe run or one 200 % look each). */
  let checks = 0;
  let failed = 0;
  let shots = 0;
  let axeRuns = 0;
  try {
    for (const screen of screens) {
      for (const locale of locales) {
        for (const size of sizes) {
          const { context, page, errors } = await open(browser, base, screen, locale, size);
          await page.screenshot({ path: join(out, `${screen.name}-${locale}-${size.name}.png`) });
          shots++;
          const problems = (await axe(page)).map(
            (v) => `${screen.name} ${locale} ${size.name}: axe ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`,
          );
          problems.push(...errors.map((e) => `${screen.name} ${locale} ${size.name}: page error ${e}`));
          axeRuns++;
          checks++;
          if (problems.length > 0) failed++;
          failures.push(...problems);
          await context.close();
        }
        // The same screen at 200 % text on a phone: nothing scrolls sideways.
        const big = await open(browser, base, screen, locale, sizes[0], 2);
        const wide = await sideways(big.page);
        checks++;
        if (wide.length > 0) failed++;
        for (const s of wide) failures.push(`${screen.name} ${locale} 200%: scrolls sideways (${s})`);
        if (locale === "vi") await big.page.screenshot({ path: join(out, `${screen.name}-${locale}-200pct.png`) });
        await big.context.close();
      }
    }
    const native = await nativeCamera(browser, base);
    checks++;
    if (native.length > 0) failed++;
    failures.push(...native);
  } finally {
    await browser.close();
  }
  const size = await bundleSize();
  const camera = await cameraReady(base);
  const gate = await gateLive(base);
  server.close();
  checks++;
  if (gate.length > 0) failed++;
  failures.push(...gate);
  checks++;
  if (!camera.loopWorks) {
    failed++;
    failures.push("camera: the scan loop did not stop on the frame with a code and show the result");
  }
  const report = { screenshots: shots, axeRuns, failures, bundle: size, cameraReady: camera };
  await writeFile(join(out, "report.json"), JSON.stringify(report, null, 2));
  console.log(`tour: ${shots} screenshots in ${out}`);
  console.log(`tour: axe-core on ${axeRuns} screens; 200 % text on ${screens.length * locales.length}`);
  console.log(`tour: UI bundle ${(size.codeGzipBytes / 1024).toFixed(1)} KB gzipped (JS, CSS, HTML); fonts ${(size.fontsWoff2Bytes / 1024).toFixed(1)} KB woff2`);
  console.log(`tour: page start to camera frame ${camera.medianMs} ms median (${camera.runsMs.join(", ")})`);
  console.log(`tour: scan loop on the fake camera: ${camera.loopWorks ? "result on the third frame, camera off" : "FAILED"}`);
  console.log(`tour: gate live camera: ${gate.length === 0 ? "card on the third frame, paused for the form, scanning again after it" : "FAILED"}`);
  for (const f of failures) console.error(`FAIL ${f}`);
  console.log(`tour: ${checks - failed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

if (process.env.TOUR_SERVE) {
  // Only serve the mocked UI (for looking at it by hand): TOUR_SERVE=1 node ui/tour/tour.mjs
  const server = await serve();
  console.log(`http://127.0.0.1:${/** @type {import("node:net").AddressInfo} */ (server.address()).port}/?locale=vi`);
} else {
  await main();
}
