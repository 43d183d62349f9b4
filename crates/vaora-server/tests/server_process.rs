//! Starts the real `vaora-server` binary on an ephemeral loopback port.

use std::io::{Read, Write};
use std::net::TcpStream;

mod support;

use support::Server;

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn server_starts_with_no_setup_and_answers_health() {
    let server = Server::start(&[]);
    let response = get(&server.addr, "/v1/health");
    assert!(response.starts_with("HTTP/1.0 200"), "{response}");
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["api"], "v1");
    assert!(server.data_path.is_dir(), "data directory was not created");
    let response = get(&server.addr, "/v1/nothing-here");
    assert!(response.starts_with("HTTP/1.0 404"), "{response}");
}
