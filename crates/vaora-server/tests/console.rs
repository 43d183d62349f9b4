//! The authority console of the real `vaora-server` binary, as a browser
//! without JavaScript uses it: sign in with the authority token, read the
//! checkpoint activity, trace a case's contacts, mark a risky venue. Every
//! name shown came from a phone or a registrar and must arrive escaped.

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use uuid::Uuid;

mod support;

use support::{
    Server, authority_token, browser, declaration_item, register_phone, sync, visit_item,
};

fn location(r: &reqwest::Response) -> &str {
    r.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Signs in and returns the session cookie (`name=value`).
async fn sign_in(http: &reqwest::Client, server: &Server, token: &str) -> reqwest::Response {
    http.post(server.url("/console/login"))
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
}

async fn session(http: &reqwest::Client, server: &Server) -> String {
    let signed_in = sign_in(http, server, &authority_token(server)).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&signed_in), "/console/activity");
    let cookie = signed_in
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

async fn get(
    http: &reqwest::Client,
    server: &Server,
    cookie: &str,
    path: &str,
) -> (StatusCode, String) {
    let r = http
        .get(server.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    let status = r.status();
    if status == StatusCode::OK {
        let policy = r
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(policy.contains("default-src 'none'"), "{path}: {policy}");
        assert_eq!(r.headers().get("cache-control").unwrap(), "no-store");
    }
    (status, r.text().await.unwrap())
}

/// The hidden form token on a console page.
fn form_token(page: &str) -> String {
    let at = page
        .find(r#"name="form_token" value=""#)
        .expect("a form token")
        + 25;
    page[at..].split('"').next().unwrap().to_owned()
}

fn vietnam_local(unix_seconds: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .unwrap()
        .to_offset(time::macros::offset!(+7));
    t.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]"
    ))
    .unwrap()
}

#[tokio::test]
async fn only_the_authority_signs_in_and_signing_out_ends_the_session() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let http = browser();

    let anonymous = http
        .get(server.url("/console/activity"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&anonymous), "/console/login");
    let login_page = http.get(server.url("/console/login")).send().await.unwrap();
    assert!(
        login_page.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        login_page
            .text()
            .await
            .unwrap()
            .contains("authority-token.txt")
    );

    let wrong = sign_in(&http, &server, "not-a-token").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.text().await.unwrap().contains("Mã không đúng"));
    let phone = register_phone(&reqwest::Client::new(), &server).await;
    let a_phone = sign_in(&http, &server, &phone).await;
    assert_eq!(
        a_phone.status(),
        StatusCode::UNAUTHORIZED,
        "a device is no officer"
    );

    let cookie = session(&http, &server).await;
    let (status, page) = get(&http, &server, &cookie, "/console/activity").await;
    assert_eq!(status, StatusCode::OK);
    let token = form_token(&page);

    // A sign-out posted without the page's form token does nothing.
    let forged = http
        .post(server.url("/console/logout"))
        .header(COOKIE, &cookie)
        .form(&[("form_token", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forged), "/console/activity");
    assert_eq!(
        get(&http, &server, &cookie, "/console/activity").await.0,
        StatusCode::OK
    );

    let out = http
        .post(server.url("/console/logout"))
        .header(COOKIE, &cookie)
        .form(&[("form_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&out), "/console/login");
    let after = get(&http, &server, &cookie, "/console/activity").await;
    assert_eq!(after.0, StatusCode::SEE_OTHER, "the old cookie is dead");
}

#[tokio::test]
async fn activity_shows_created_against_active_with_charts_and_escaped_names() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let api = reqwest::Client::new();
    let authority = authority_token(&server);
    let market = server.register_venue(&authority, "Chợ Hôm", 70, 1).await;
    server
        .register_venue(&authority, "<script>alert(1)</script>Quán", 235, 1)
        .await;
    let phone = register_phone(&api, &server).await;
    let mut visit = visit_item(Uuid::now_v7(), support::now_ms() - 60_000, None);
    visit["body"]["venue"] = json!(market);
    sync(&api, &server, &phone, vec![visit]).await;

    let http = browser();
    let cookie = session(&http, &server).await;
    let (status, page) = get(&http, &server, &cookie, "/console/activity?days=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<html lang="vi">"#));
    assert_eq!(
        page.matches(r#"<svg class="chart""#).count(),
        2,
        "scans per day, created against active"
    );
    assert_eq!(
        page.matches(r#"<ol class="bars""#).count(),
        1,
        "most active"
    );
    assert!(page.contains("1 trên 1 điểm có dữ liệu"), "{page}");
    assert!(page.contains("0 trên 1 điểm có dữ liệu"));
    assert!(page.contains("Phường Đống Đa"));
    assert!(page.contains("Điểm có nhiều lượt quét nhất"));
    assert!(page.contains("Thành phố Hà Nội"), "the province table");
    // The dormant checkpoint is listed, its name as text.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;Quán"));
    assert!(!page.contains("<script"));

    let english = format!("{cookie}; vaora_lang=en");
    let (_, page) = get(&http, &server, &english, "/console/activity?days=1").await;
    assert!(page.contains(r#"<html lang="en">"#));
    assert!(page.contains("0 of 1 active"));

    let (status, page) = get(&http, &server, &cookie, "/console/activity?days=999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Hãy kiểm tra lại"));
}

#[tokio::test]
async fn tracing_lists_who_overlapped_and_exports_a_safe_spreadsheet() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let api = reqwest::Client::new();
    let authority = authority_token(&server);
    let venue = server
        .register_venue(&authority, "Chợ Đồng Xuân", 70, 2)
        .await;
    let from = time::OffsetDateTime::now_utc().unix_timestamp() - 3 * 3600;
    let phone = register_phone(&api, &server).await;
    let mut declared = declaration_item(Uuid::now_v7(), "0912345678");
    // A street that is both markup and a spreadsheet formula.
    declared["body"]["declaration"]["street"] =
        json!("=HYPERLINK(\"<img src=x onerror=alert(1)>\")");
    let mut visit = visit_item(
        Uuid::now_v7(),
        (from + 600) * 1000,
        Some((from + 1800) * 1000),
    );
    visit["body"]["venue"] = json!(venue);
    let sent: Value = sync(&api, &server, &phone, vec![declared, visit]).await;
    assert!(
        sent["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "accepted"),
        "{sent}"
    );

    let http = browser();
    let cookie = session(&http, &server).await;
    let query = format!("venue={venue}&from={}&minutes=60", vietnam_local(from));
    let (status, page) = get(
        &http,
        &server,
        &cookie,
        &format!("/console/tracing?{query}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("1 lượt có mặt trùng thời gian"), "{page}");
    assert!(page.contains("Nguyễn Văn An"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!page.contains("<img"));
    assert!(page.contains("0912345678"));
    assert!(page.contains("/console/tracing.csv?"));

    let csv = http
        .get(server.url(&format!("/console/tracing.csv?{query}")))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");

    let (status, page) = get(
        &http,
        &server,
        &cookie,
        "/console/tracing?venue=9999&from=2026-11-20T08:00&minutes=60",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Không có địa điểm"));
    let (status, page) = get(
        &http,
        &server,
        &cookie,
        &format!("/console/tracing?venue={venue}&from=hôm+qua"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Khoảng thời gian không hợp lệ"));
    assert!(
        page.contains(r#"value="hôm qua""#),
        "what was typed stays in the form"
    );
    let (status, page) = get(&http, &server, &cookie, "/console/tracing").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<table"), "no query, no results");
}

#[tokio::test]
async fn a_risky_venue_marked_in_the_console_reaches_the_signed_public_list() {
    let server = Server::start(&[]);
    vaora_core::sync::install_tls_provider();
    let api = reqwest::Client::new();
    let authority = authority_token(&server);
    let venue = server.register_venue(&authority, "Chợ Hôm", 70, 2).await;
    let http = browser();
    let cookie = session(&http, &server).await;
    let (_, page) = get(&http, &server, &cookie, "/console/risky").await;
    let token = form_token(&page);
    let start = vietnam_local(time::OffsetDateTime::now_utc().unix_timestamp() - 7200);
    let advice = "Theo dõi sức khoẻ 14 ngày <b>ngay</b>";
    let mark = |fields: Vec<(&'static str, String)>| {
        http.post(server.url("/console/risky"))
            .header(COOKIE, &cookie)
            .form(&fields)
            .send()
    };
    let fields = |token: &str, venue: String| {
        vec![
            ("form_token", token.to_owned()),
            ("venue", venue),
            ("entrance", "2".to_owned()),
            ("from", start.clone()),
            ("minutes", "45".to_owned()),
            ("advice_vi", advice.to_owned()),
            ("advice_en", String::new()),
        ]
    };
    let public_list = || async {
        let list: Value = api
            .get(server.url("/v1/risky-venues"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["entries"].as_array().unwrap().clone()
    };

    let forged = mark(fields("forged", venue.to_string())).await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.text().await.unwrap().contains("Biểu mẫu đã hết hạn"));
    let unknown = mark(fields(&token, "9999".into())).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = unknown.text().await.unwrap();
    assert!(
        unknown.contains("Theo dõi sức khoẻ 14 ngày &lt;b&gt;ngay&lt;/b&gt;"),
        "the advice typed is kept"
    );
    assert!(public_list().await.is_empty());

    let published = mark(fields(&token, venue.to_string())).await.unwrap();
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    assert!(location(&published).starts_with("/console/risky?published="));
    let entries = public_list().await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["venue"], venue);
    assert_eq!(entries[0]["entrance"], 2);
    assert_eq!(
        entries[0]["advice_vi"], advice,
        "stored as typed, escaped only on screen"
    );
    let (_, page) = get(&http, &server, &cookie, "/console/risky?published=1").await;
    assert!(page.contains("Đã công bố"));
    assert!(page.contains("&lt;b&gt;ngay"));
}
