//! The real `vaora-server` binary on an ephemeral loopback port, for the
//! tests of this crate. Killed when dropped.

#![allow(dead_code)] // each test binary uses its own part of this

pub mod link;
pub mod sync;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

pub struct Server {
    child: Child,
    /// Where the server keeps its data (`<temp dir>/data`; the server
    /// creates it).
    pub data_path: PathBuf,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The `host:port` it listens on.
    pub addr: String,
    /// The second banner line, if any (where the first token went).
    pub banner: String,
    pub data_dir: tempfile::TempDir,
    args: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Registers a market venue in `commune` with `entrances` entrances,
    /// as the holder of `token` (a registrar or the authority); its number.
    pub async fn register_venue(
        &self,
        token: &str,
        name: &str,
        commune: u32,
        entrances: u16,
    ) -> i64 {
        let created: serde_json::Value = reqwest::Client::new()
            .post(self.url("/v1/venues"))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "name": name, "address": "Thành phố Hà Nội", "commune": commune,
                "kind": "market", "default_stay_minutes": 60, "entrances": entrances
            }))
            .send()
            .await
            .expect("venue request")
            .json()
            .await
            .expect("venue answer");
        created["id"].as_i64().expect("venue number")
    }

    /// Starts the server with its defaults and `args`, with a data
    /// directory that does not exist yet.
    pub fn start(args: &[&str]) -> Server {
        let data_dir = tempfile::tempdir().unwrap();
        let data_path = data_dir.path().join("data");
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (child, addr, banner) = spawn(&data_path, "127.0.0.1:0", &args);
        Server {
            child,
            data_path,
            base: format!("http://{addr}"),
            addr,
            banner,
            args,
            data_dir,
        }
    }

    /// SIGKILL, as a crash or a power cut would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same address with the same data.
    pub fn restart(&mut self) {
        self.kill();
        let (child, _, _) = spawn(&self.data_path, &self.addr, &self.args);
        self.child = child;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's SQLite file, as a URL `Db::connect` takes.
    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.data_file("vaora.db").display())
    }

    pub fn data_file(&self, name: &str) -> PathBuf {
        self.data_path.join(name)
    }
}

/// Runs the binary and reads its banner: the address and the token line.
fn spawn(data_path: &std::path::Path, listen: &str, args: &[String]) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vaora-server"))
        .args(["--listen", listen, "--data-dir"])
        .arg(data_path)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vaora-server");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("vaora-server listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    let mut banner = String::new();
    // The banner is one write: the token line, if any, is there already.
    if out.buffer().contains(&b'\n') {
        out.read_line(&mut banner).unwrap();
    }
    (child, addr, banner)
}

// What the API tests and the console tests share: tokens, and sync
// items as a phone or a gate sends them.

pub fn authority_token(server: &Server) -> String {
    assert!(
        server.banner.contains("authority-token.txt"),
        "says where the first token is: {:?}",
        server.banner
    );
    let path = server.data_file("authority-token.txt");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "token file is owner-only");
    }
    std::fs::read_to_string(path).unwrap().trim().to_owned()
}

/// A phone's device token, as the app gets it on its first sync.
pub async fn register_phone(http: &reqwest::Client, server: &Server) -> String {
    let device: Value = http
        .post(server.url("/v1/devices"))
        .json(&json!({"kind": "citizen"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    device["token"].as_str().expect("token").to_owned()
}

/// A gate device's token, bound by `registrar` to `venue`'s `entrance`.
pub async fn bind_gate(
    http: &reqwest::Client,
    server: &Server,
    registrar: &str,
    venue: i64,
    entrance: u16,
) -> String {
    let bound: Value = http
        .post(server.url(&format!("/v1/venues/{venue}/entrances/{entrance}/gates")))
        .bearer_auth(registrar)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    bound["token"].as_str().expect("gate token").to_owned()
}

pub fn visit_item(visit: Uuid, at_ms: i64, out_ms: Option<i64>) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": "visit",
        "body": {
            "id": visit, "person": 1, "venue": 1, "entrance": 1,
            "place_name": "Bệnh viện Bạch Mai", "commune": 172,
            "checked_in_at": at_ms, "checked_out_at": out_ms,
            "source": "scan", "verified": true
        }
    })
}

pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

pub fn declaration_item(id: Uuid, phone: &str) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": "declaration",
        "body": {
            "id": id, "person": 1, "visit": null, "declared_at": now_ms(),
            "declaration": {
                "fullName": "Nguyễn Văn An", "idKind": "cccd", "idNumber": "001092001234",
                "birthYear": 1992, "sex": "male", "nationality": "Việt Nam",
                "province": 1, "commune": 235, "street": "12 Tôn Đức Thắng",
                "phone": phone, "symptoms": ["cough"], "exposures": [], "conditions": []
            }
        }
    })
}

pub async fn sync(
    http: &reqwest::Client,
    server: &Server,
    token: &str,
    items: Vec<Value>,
) -> Value {
    let response = http
        .post(server.url("/v1/sync"))
        .bearer_auth(token)
        .json(&json!({ "items": items }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// A browser that follows no redirect, so that each redirect and cookie
/// can be checked.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A device whose owner was at `venue` from `at` until `out` (or open).
pub fn device(
    dir: &tempfile::TempDir,
    name: &str,
    venue: vaora_core::Venue,
    at: time::OffsetDateTime,
    out: Option<time::OffsetDateTime>,
) -> std::sync::Mutex<vaora_core::Journal> {
    let mut journal =
        vaora_core::Journal::open(&dir.path().join(name), &vaora_core::JournalKey::generate())
            .unwrap();
    let me = journal.me().unwrap().id;
    let outcome = journal
        .check_in(vaora_core::CheckIn {
            people: vec![me],
            place: vaora_core::Place::Venue {
                venue,
                entrance: vaora_core::EntranceNo(1),
            },
            source: vaora_core::VisitSource::Scan,
            verification: vaora_core::Verification::Verified,
            at,
        })
        .unwrap();
    if let (Some(out), vaora_core::CheckInOutcome::CheckedIn(visits)) = (out, outcome) {
        journal.check_out(visits[0].id, out).unwrap();
    }
    std::sync::Mutex::new(journal)
}
