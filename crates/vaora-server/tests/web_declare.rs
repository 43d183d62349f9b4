//! The web declaration page of the real `vaora-server` binary: a phone
//! without the app opens the venue code's URL and, with plain HTML forms,
//! checks in and declares. Mistakes come back with every typed value kept;
//! a form sent twice is recorded once; the authority's tracing finds it.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::Value;

mod support;

use support::{Server, authority_token, browser};

/// The path of entrance `n`'s code (`/V/TOKEN`), as a phone opens it.
async fn code_path(server: &Server, token: &str, venue: i64, n: usize) -> String {
    let shown: Value = reqwest::Client::new()
        .get(server.url(&format!("/v1/venues/{venue}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let code = shown["entrances"][n]["code"].as_str().expect("a code");
    let at = code.find("/V/").expect("a /V/ link");
    code[at..].to_owned()
}

fn hidden(page: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let at = page.find(&marker).expect("hidden field") + marker.len();
    page[at..].split('"').next().unwrap().to_owned()
}

fn filled(submission: &str) -> Vec<(&'static str, String)> {
    [
        ("submission", submission),
        ("fullName", "Nguyễn Văn An"),
        ("idKind", "cccd"),
        ("idNumber", "001092001234"),
        ("birthYear", "1992"),
        ("sex", "male"),
        ("nationality", "Việt Nam"),
        ("phone", "0912 345 678"),
        ("province", "1"),
        ("commune", "235"),
        ("street", "12 Tôn Đức Thắng"),
        ("symptoms", "cough"),
        ("consent", "yes"),
        ("step", "send"),
    ]
    .map(|(k, v)| (k, v.to_owned()))
    .to_vec()
}

#[tokio::test]
async fn a_phone_without_the_app_checks_in_and_declares_once() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let authority = authority_token(&server);
    let venue = server.register_venue(&authority, "Chợ Hôm", 70, 2).await;
    let path = code_path(&server, &authority, venue, 1).await;
    let http = browser();

    let page = http.get(server.url(&path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Khai báo y tế") && page.contains("Chợ Hôm"));
    assert!(!page.contains("<script"), "no JavaScript needed");
    // The venue's province is chosen and its communes listed.
    assert!(
        page.contains(r#"<option value="1" selected>Thành phố Hà Nội</option>"#),
        "{page}"
    );
    assert!(page.contains("Phường Đống Đa"));
    let submission = hidden(&page, "submission");

    // In English, for a visitor whose browser asks for it.
    let english = http
        .get(server.url(&path))
        .header("accept-language", "en-US,en;q=0.8")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Health declaration"));

    // A half-filled form: every problem beside its field, nothing lost.
    let mut half = filled(&submission);
    half.retain(|(k, _)| !matches!(*k, "idNumber" | "consent"));
    half.push(("street", "<b>12</b> Tôn Đức Thắng".into()));
    half.retain(|(k, v)| *k != "street" || v.starts_with('<'));
    let refused = http
        .post(server.url(&path))
        .form(&half)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("hãy sửa các ô"), "{refused}");
    assert!(refused.contains(r#"id="idNumber-problem""#));
    assert!(refused.contains(r#"id="consent-problem""#));
    assert!(
        refused.contains(r#"value="Nguyễn Văn An""#),
        "typed values stay"
    );
    assert!(refused.contains("&lt;b&gt;12&lt;/b&gt;"), "and are escaped");
    assert!(refused.contains(r#"value="cough" checked"#));
    assert_eq!(hidden(&refused, "submission"), submission);

    // Choosing another province lists its communes, without sending.
    let mut other = filled(&submission);
    other.retain(|(k, _)| !matches!(*k, "province" | "step"));
    other.push(("province", "79".into()));
    other.push(("step", "province".into()));
    let redrawn = http
        .post(server.url(&path))
        .form(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(redrawn.status(), StatusCode::OK);
    let redrawn = redrawn.text().await.unwrap();
    assert!(!redrawn.contains("Phường Đống Đa"));
    assert!(redrawn.contains(r#"<option value="79" selected>"#));

    // Sent, then sent again (a double tap): recorded once.
    for _ in 0..2 {
        let sent = http
            .post(server.url(&path))
            .form(&filled(&submission))
            .send()
            .await
            .unwrap();
        let status = sent.status();
        let location = sent.headers().get(LOCATION).cloned();
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{}",
            sent.text().await.unwrap()
        );
        assert_eq!(
            location.unwrap().to_str().unwrap(),
            format!("{path}?sent=1")
        );
    }
    let thanks = http
        .get(server.url(&format!("{path}?sent=1")))
        .send()
        .await
        .unwrap();
    assert!(thanks.text().await.unwrap().contains("Cảm ơn bạn"));
    let db = vaora_server::db::Db::connect(&server.database_url())
        .await
        .unwrap();
    assert_eq!(db.visit_count().await.unwrap(), 1);
    assert_eq!(db.declaration_count().await.unwrap(), 1);

    // The authority finds the visitor with what they declared.
    let from = time::OffsetDateTime::now_utc().unix_timestamp() - 600;
    let traced: Value = reqwest::Client::new()
        .get(server.url(&format!("/v1/tracing?venue={venue}&from={from}&minutes=20")))
        .bearer_auth(&authority)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contact = &traced["contacts"][0];
    assert_eq!(contact["full_name"], "Nguyễn Văn An", "{traced}");
    assert_eq!(contact["phone"], "0912345678");
    assert_eq!(contact["entrance"], 2);
}

#[tokio::test]
async fn a_code_that_does_not_verify_opens_no_form() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let authority = authority_token(&server);
    let venue = server.register_venue(&authority, "Chợ Hôm", 70, 1).await;
    let path = code_path(&server, &authority, venue, 0).await;
    // One character changed: the signature no longer matches.
    let mut forged: Vec<char> = path.chars().collect();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    let http = browser();
    for bad in [forged.as_str(), "/V/NOTACODE", "/v/"] {
        let page = http
            .get(server.url(bad))
            .header(COOKIE, "vaora_lang=vi")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{bad}");
        if bad != "/v/" {
            let page = page.text().await.unwrap();
            assert!(page.contains("Không phải mã điểm kiểm dịch"), "{page}");
            assert!(!page.contains("<form"));
        }
    }
    let posted = http
        .post(server.url(&forged))
        .form(&filled("x"))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
    let db = vaora_server::db::Db::connect(&server.database_url())
        .await
        .unwrap();
    assert_eq!(db.visit_count().await.unwrap(), 0);
}
