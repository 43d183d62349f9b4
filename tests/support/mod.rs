//! End-to-end harness: the real app binary in a real window, driven through
//! `tauri-driver` and WebKitWebDriver. Needs a display (`xvfb-run`); the
//! tests using it are `#[ignore]`d by default and run by `scripts/test`.

// Each test binary includes this module and uses a different subset of it.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use vaora_core::venue::{CommuneCode, EntranceNo, VenueId, VenueKind};
use vaora_core::venue_code::{DEFAULT_HOST, VenueCodeContent, VenueIssuer};
use vaora_server::poster::Poster;

/// No session bus: no Secret Service and no notification server.
const NO_BUS: &str = "unix:path=/nonexistent/vaora-test-bus";
/// A loopback port nobody listens on: sync fails at once, never leaves the machine.
const CLOSED_SERVER: &str = "http://127.0.0.1:9";

/// One `tauri-driver` process with its own app-data directory, so every test
/// starts from a fresh journal and can inspect the files the app wrote.
pub struct Driver {
    child: Child,
    /// One app window at a time per test binary: two WebKit processes on
    /// two cores make WebDriver session start-up flaky.
    _turn: MutexGuard<'static, ()>,
    port: u16,
    pub data_home: tempfile::TempDir,
}

/// How the app is started: which D-Bus session bus, which sync server,
/// which camera. `Driver`'s shortcuts cover the usual cases.
pub struct Launch {
    bus: String,
    server: String,
    mock_camera: bool,
}

impl Default for Launch {
    /// No session bus (no Secret Service, no notification server, whatever
    /// the machine has, so tests never touch a real keyring), a closed sync
    /// server, the machine's cameras (Xvfb has none).
    fn default() -> Launch {
        Launch {
            bus: NO_BUS.into(),
            server: CLOSED_SERVER.into(),
            mock_camera: false,
        }
    }
}

impl Launch {
    /// The app on the given D-Bus session bus (a private one a test runs,
    /// e.g. with a notification server of its own).
    pub fn session_bus(mut self, address: &str) -> Launch {
        self.bus = address.into();
        self
    }

    /// The app syncing to the server at `url` (one the test runs).
    pub fn server(mut self, url: &str) -> Launch {
        self.server = url.into();
        self
    }

    /// WebKit's mock camera (a moving test picture) in place of the
    /// machine's cameras.
    pub fn mock_camera(mut self) -> Launch {
        self.mock_camera = true;
        self
    }

    pub fn start(self) -> Driver {
        Driver::launch(&self.bus, &self.server, self.mock_camera)
    }
}

impl Driver {
    pub fn start() -> Driver {
        Launch::default().start()
    }

    pub fn with_mock_camera() -> Driver {
        Launch::default().mock_camera().start()
    }

    pub fn on_session_bus(bus_address: &str) -> Driver {
        Launch::default().session_bus(bus_address).start()
    }

    pub fn with_server(url: &str) -> Driver {
        Launch::default().server(url).start()
    }

    fn launch(bus_address: &str, server_url: &str, mock_camera: bool) -> Driver {
        static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
        // A test that failed while holding the turn poisons it; the next
        // test's app is still independent.
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
        let data_home = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let native_port = free_port();
        let program = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let child = Command::new(&program)
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            // The app resolves its app-data directory from XDG_DATA_HOME.
            .env("XDG_DATA_HOME", data_home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
            .env("VAORA_SERVER_URL", server_url)
            .env("VAORA_MOCK_CAMERA", if mock_camera { "1" } else { "0" })
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group: WebKitWebDriver and the app it starts
            // are ended with it (see Drop), never left running.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program} (scripts/test installs it): {e}"));
        wait_for_port(port);
        Driver {
            child,
            _turn: turn,
            port,
            data_home,
        }
    }

    /// Launches the app and opens a WebDriver session on its window.
    pub async fn launch_app(&self) -> App {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_vaora") }),
        );
        // Starting WebKitWebDriver and the window now and then fails on a
        // loaded 2-core machine (the driver drops the first request): try
        // again a few times before calling it a failure.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{}", self.port))
                .await
            {
                Ok(client) => return App { client },
                Err(e) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed: {e}; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("WebDriver session on the app window: {e}"),
            }
        }
    }

    /// The platform app-data directory the app was told to use.
    pub fn app_data_dir(&self) -> PathBuf {
        self.data_home.path().join("vn.vaora.checkin")
    }

    /// Writes a journal before the app starts, as an earlier run of the app
    /// would have: the key in the owner-only key file the app falls back to
    /// (the tests have no OS keystore), the journal encrypted with it.
    pub fn seed_journal(&self, fill: impl FnOnce(&mut vaora_core::Journal)) {
        let dir = self.app_data_dir();
        std::fs::create_dir_all(&dir).expect("app-data dir");
        let key = vaora_core::JournalKey::generate();
        std::fs::write(dir.join("journal.key"), key.to_hex()).expect("key file");
        let mut journal =
            vaora_core::Journal::open(&dir.join("journal.db"), &key).expect("seed journal");
        fill(&mut journal);
    }

    /// Opens the app's journal after the app has closed, to check what it
    /// wrote (with the key file `seed_journal` or the app made).
    pub fn open_journal(&self) -> vaora_core::Journal {
        let dir = self.app_data_dir();
        let hex = std::fs::read_to_string(dir.join("journal.key")).expect("key file");
        let key = vaora_core::JournalKey::from_hex(hex.trim()).expect("key");
        vaora_core::Journal::open(&dir.join("journal.db"), &key).expect("open journal")
    }

    /// Puts a synced key ring in place before the app starts, as sync would.
    pub fn trust_keys(&self, ring: &vaora_core::venue_code::KeyRing) {
        std::fs::create_dir_all(self.app_data_dir()).expect("app-data dir");
        std::fs::write(
            self.app_data_dir().join("trusted-keys.json"),
            ring.to_json(),
        )
        .expect("write key ring");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: tauri-driver, WebKitWebDriver and the app.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct App {
    pub client: Client,
}

impl App {
    /// Waits until the element exists and its text equals `expected`.
    pub async fn wait_text(&self, test_id: &str, expected: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(el) = self.client.find(by_test_id(test_id).as_locator()).await {
                last = el.text().await.unwrap_or_default();
                if last.trim() == expected {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("[data-testid={test_id}] shows {last:?}, expected {expected:?}");
    }

    /// Waits (up to 20 s) for the element with this test id.
    pub async fn element(&self, test_id: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(by_test_id(test_id).as_locator())
            .await
            .unwrap_or_else(|e| panic!("no [data-testid={test_id}]: {e}"))
    }

    pub async fn text(&self, test_id: &str) -> String {
        self.element(test_id)
            .await
            .text()
            .await
            .expect("element text")
    }

    /// The texts of every element with this test id, in document order.
    pub async fn texts(&self, test_id: &str) -> Vec<String> {
        let mut out = Vec::new();
        for el in self
            .client
            .find_all(by_test_id(test_id).as_locator())
            .await
            .unwrap_or_default()
        {
            out.push(el.text().await.unwrap_or_default().trim().to_owned());
        }
        out
    }

    /// Chooses a file in an `<input type=file>` (the gallery picker).
    pub async fn choose_file(&self, test_id: &str, path: &Path) {
        let el = self.element(test_id).await;
        el.send_keys(&path.display().to_string())
            .await
            .expect("choose file");
    }

    /// Types into a text field, as a person at a keyboard would.
    pub async fn type_into(&self, test_id: &str, text: &str) {
        let el = self.element(test_id).await;
        el.click().await.expect("focus field");
        el.send_keys(text).await.expect("type");
    }

    /// Chooses the `<option>` with this value in a `<select>`.
    pub async fn select(&self, test_id: &str, value: &str) {
        self.element(test_id)
            .await
            .select_by_value(value)
            .await
            .expect("select option");
    }

    /// Clicks the element. A click that lands on another element (the
    /// screen still moving after an update) is tried again a few times.
    pub async fn click(&self, test_id: &str) {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.element(test_id).await.click().await {
                Ok(()) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::ElementClickIntercepted
                        && attempt < 5 =>
                {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("click [data-testid={test_id}]: {e}"),
            }
        }
    }

    /// Opens a screen from the navigation (tab bar or rail): `scan`,
    /// `journal`, `declare`, `family`, `alerts`, `settings`, `gate`.
    pub async fn go(&self, screen: &str) {
        self.click(&format!("nav-{screen}")).await;
    }

    /// Scrolls the element to the middle of the window, then takes a screenshot.
    pub async fn screenshot_of(&self, test_id: &str, name: &str) -> PathBuf {
        let el = self.element(test_id).await;
        let arg = serde_json::to_value(&el).expect("element reference");
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
            .await
            .expect("scroll into view");
        self.screenshot(name).await
    }

    /// Saves a PNG of the window under `target/screenshots/` in the checkout.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        assert!(
            png.starts_with(b"\x89PNG"),
            "WebDriver did not return a PNG"
        );
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Scrolls the screen (the shell's scrolling `<main>`) to its end.
    pub async fn scroll_to_end(&self) {
        self.client
            .execute(
                "const m = document.querySelector('[data-scroll]') ?? document.scrollingElement; m.scrollTop = m.scrollHeight;",
                vec![],
            )
            .await
            .expect("scroll");
    }

    /// The durations (ms) of the page's User Timing measures named `name`
    /// (the live camera keeps one per frame: `frame-pixels`, `frame-scan`).
    pub async fn measures(&self, name: &str) -> Vec<f64> {
        let found = self
            .client
            .execute(
                "return performance.getEntriesByName(arguments[0]).map((e) => e.duration);",
                vec![name.into()],
            )
            .await
            .expect("read the measures");
        found
            .as_array()
            .map(|all| all.iter().filter_map(|d| d.as_f64()).collect())
            .unwrap_or_default()
    }

    /// Calls a command with a raw IPC body, as the UI sends camera frames
    /// and pictures; resolves to its answer, or `{"failed": error}`.
    pub async fn invoke_raw(&self, command: &str, body: &[u8]) -> serde_json::Value {
        self.client
            .execute_async(
                r#"const [command, b64, done] = arguments;
                   const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
                   window.__TAURI_INTERNALS__.invoke(command, bytes)
                     .then((answer) => done(answer), (e) => done({ failed: e }));"#,
                vec![command.into(), BASE64_STANDARD.encode(body).into()],
            )
            .await
            .unwrap_or_else(|e| panic!("{command} through IPC: {e}"))
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A venue's printed poster as a PNG file in `dir`, its code signed by
/// `issuer`, as a phone's photo of it would be scanned.
pub fn poster_png(
    dir: &std::path::Path,
    issuer: &VenueIssuer,
    venue: u64,
    name: &str,
) -> std::path::PathBuf {
    let today = time::OffsetDateTime::now_utc().date();
    let code = issuer
        .issue(VenueCodeContent {
            key_id: issuer.key_id(),
            venue: VenueId(venue),
            entrance: EntranceNo(1),
            short_name: name.into(),
            commune: Some(CommuneCode(70)),
            kind: VenueKind::Market,
            default_stay_minutes: 60,
            issued_on: today,
        })
        .unwrap();
    let png = Poster {
        code_text: code.to_text(DEFAULT_HOST),
        venue_name: name.into(),
        address: "Phường Hoàn Kiếm, Thành phố Hà Nội".into(),
        entrance: 1,
    }
    .render_png(100)
    .unwrap();
    let path = dir.join(format!("poster-{venue}.png"));
    std::fs::write(&path, png).unwrap();
    path
}

/// A picture (a poster, a card), shrunk to 600 px tall and placed on a
/// grey 1280×720 scene,
/// as the scan loop's body: width and height (u32 little-endian), then one
/// luma byte per pixel.
pub fn camera_frame(picture: &Path) -> Vec<u8> {
    let picture = image::open(picture).expect("PNG").to_luma8();
    let scale = 600.0 / picture.height() as f32;
    let small = image::imageops::resize(
        &picture,
        (picture.width() as f32 * scale) as u32,
        600,
        image::imageops::FilterType::Triangle,
    );
    let mut scene = image::GrayImage::from_pixel(1280, 720, image::Luma([118]));
    image::imageops::overlay(&mut scene, &small, 380, 60);
    let mut body = Vec::with_capacity(8 + scene.len());
    body.extend_from_slice(&1280u32.to_le_bytes());
    body.extend_from_slice(&720u32.to_le_bytes());
    body.extend_from_slice(scene.as_raw());
    body
}

struct TestId(String);

impl TestId {
    fn as_locator(&self) -> Locator<'_> {
        Locator::Css(&self.0)
    }
}

fn by_test_id(id: &str) -> TestId {
    TestId(format!("[data-testid=\"{id}\"]"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port}");
}
