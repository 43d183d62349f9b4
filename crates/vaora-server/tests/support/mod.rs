//! The real `vaora-server` binary on an ephemeral loopback port, for the
//! tests of this crate. Killed when dropped.

#![allow(dead_code)] // each test binary uses its own part of this

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

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
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server with its defaults and `args`, with a data
    /// directory that does not exist yet.
    pub fn start(args: &[&str]) -> Server {
        let data_dir = tempfile::tempdir().unwrap();
        let data_path = data_dir.path().join("data");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vaora-server"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&data_path)
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
        Server {
            child,
            data_path,
            base: format!("http://{addr}"),
            addr,
            banner,
            data_dir,
        }
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
