//! The HTTP API of the real `vaora-server` binary on an ephemeral loopback
//! port: the first authority token, venue registration and posters, device
//! registration, idempotent sync, roles and limits.

use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

mod support;

use support::{
    Server, authority_token, bind_gate, declaration_item, now_ms, register_phone, sync, visit_item,
};

fn start() -> Server {
    Server::start(&[])
}

fn start_with(args: &[&str]) -> Server {
    Server::start(args)
}

#[tokio::test]
async fn a_registrar_prints_posters_and_a_phone_syncs_each_visit_once() {
    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let authority = authority_token(&server);

    // The authority (a registrar too) registers a venue with two entrances.
    let created = http
        .post(server.url("/v1/venues"))
        .bearer_auth(&authority)
        .json(&json!({
            "name": "Bệnh viện Bạch Mai — Khoa Khám bệnh theo yêu cầu",
            "address": "78 Giải Phóng, Phường Kim Liên, Thành phố Hà Nội",
            "commune": 172, "kind": "hospital", "default_stay_minutes": 120, "entrances": 2
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let venue: Value = created.json().await.unwrap();
    let id = venue["id"].as_i64().unwrap();
    assert_eq!(venue["entrances"].as_array().unwrap().len(), 2);
    // The short name was cut to fit the code, at a character boundary.
    let short = venue["short_name"].as_str().unwrap();
    assert!(
        short.len() <= 32 && "Bệnh viện Bạch Mai — Khoa".starts_with(short),
        "{short}"
    );

    // The code verifies offline against the published key ring.
    let ring: Value = http
        .get(server.url("/v1/keys"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ring = vaora_core::venue_code::KeyRing::from_json(&ring.to_string()).unwrap();
    let code = venue["entrances"][1]["code"].as_str().unwrap();
    let ctx = vaora_core::ScanContext {
        key_ring: &ring,
        known_hosts: &[vaora_core::venue_code::DEFAULT_HOST],
        today: time::OffsetDateTime::now_utc().date(),
        now: time::OffsetDateTime::now_utc(),
    };
    match vaora_core::classify(code, &ctx) {
        vaora_core::Scanned::Venue(v) => {
            assert_eq!(v.content.venue.0, id as u64);
            assert_eq!(v.content.entrance.0, 2);
        }
        other => panic!("expected a verified venue, got {other:?}"),
    }

    // Posters: a PDF and a PNG per entrance; no poster for entrance 3.
    let pdf = http
        .get(server.url(&format!("/v1/venues/{id}/entrances/1/poster.pdf")))
        .bearer_auth(&authority)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    let missing = http
        .get(server.url(&format!("/v1/venues/{id}/entrances/3/poster.png")))
        .bearer_auth(&authority)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // A phone registers and syncs; a resend is all duplicates.
    let token = register_phone(&http, &server).await;
    let visit = Uuid::now_v7();
    let at = now_ms() - 600_000;
    let batch = json!({"items": [visit_item(visit, at, None)]});
    let sync = |batch: Value| {
        let (http, url, token) = (http.clone(), server.url("/v1/sync"), token.clone());
        async move {
            let response = http
                .post(url)
                .bearer_auth(token)
                .json(&batch)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.unwrap()
        }
    };
    let first = sync(batch.clone()).await;
    assert_eq!(first["results"][0]["status"], "accepted");
    let again = sync(batch).await;
    assert_eq!(again["results"][0]["status"], "duplicate");
    let checked_out = sync(json!({"items": [visit_item(visit, at, Some(at + 60_000))]})).await;
    assert_eq!(checked_out["results"][0]["status"], "accepted");
    let bad = sync(json!({"items": [visit_item(Uuid::now_v7(), at, Some(at - 1))]})).await;
    assert_eq!(bad["results"][0]["status"], "rejected");
    assert_eq!(bad["results"][0]["reason"], "impossible_time");

    // Roles: a phone cannot register venues; no token is 401; junk is refused.
    let as_phone = http
        .post(server.url("/v1/venues"))
        .bearer_auth(&token)
        .json(&json!({"name": "X", "commune": 1, "kind": "shop", "default_stay_minutes": 10, "entrances": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_phone.status(), StatusCode::FORBIDDEN);
    let anonymous = http
        .post(server.url("/v1/sync"))
        .json(&json!({"items": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let as_authority = http
        .post(server.url("/v1/sync"))
        .bearer_auth(&authority)
        .json(&json!({"items": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_authority.status(), StatusCode::FORBIDDEN);
    let self_made_gate = http
        .post(server.url("/v1/devices"))
        .json(&json!({"kind": "gate"}))
        .send()
        .await
        .unwrap();
    assert_eq!(self_made_gate.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Limits: a body over 256 KiB is refused before it is parsed.
    let huge = "x".repeat(300 * 1024);
    let too_big = http
        .post(server.url("/v1/sync"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(format!("{{\"items\": [], \"pad\": \"{huge}\"}}"))
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A gzip body that inflates past the limit (a zip bomb) is refused too.
    let bomb = {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(b"{\"items\": [], \"pad\": \"").unwrap();
        gz.write_all(&vec![b' '; 4 * 1024 * 1024]).unwrap();
        gz.write_all(b"\"}").unwrap();
        gz.finish().unwrap()
    };
    assert!(bomb.len() < 64 * 1024, "small on the wire: {}", bomb.len());
    let bombed = http
        .post(server.url("/v1/sync"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(bomb)
        .send()
        .await
        .unwrap();
    assert_eq!(bombed.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // A registrar binds a gate device to entrance 2.
    let gate = http
        .post(server.url(&format!("/v1/venues/{id}/entrances/2/gates")))
        .bearer_auth(&authority)
        .send()
        .await
        .unwrap();
    assert_eq!(gate.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_token_over_its_budget_is_told_when_to_come_back() {
    let server = start_with(&["--rate-per-minute", "5", "--registrations-per-minute", "2"]);
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let token = &register_phone(&http, &server).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let response = http
            .post(server.url("/v1/sync"))
            .bearer_auth(token)
            .json(&json!({"items": []}))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    let wait: u64 = retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another token has its own budget.
    let other = register_phone(&http, &server).await;
    let ok = http
        .post(server.url("/v1/sync"))
        .bearer_auth(&other)
        .json(&json!({"items": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status().as_u16(), 200);
    // Registrations are limited per address: the third in a minute waits.
    let third = http
        .post(server.url("/v1/devices"))
        .json(&json!({"kind": "citizen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(third.status().as_u16(), 429);
    assert!(third.headers().contains_key("retry-after"));
}

/// `/openapi.json` describes every route the server serves, with the
/// bearer scheme, and the sync shapes the app sends.
#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let server = start();
    vaora_core::sync::install_tls_provider();
    let doc: Value = reqwest::get(server.url("/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut routes: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |method| format!("{} {path}", method.to_uppercase()))
        })
        .collect();
    routes.sort();
    assert_eq!(
        routes,
        [
            "GET /v1/activity",
            "GET /v1/health",
            "GET /v1/keys",
            "GET /v1/risky-venues",
            "GET /v1/tracing",
            "GET /v1/venue-directory",
            "GET /v1/venues/{id}",
            "GET /v1/venues/{id}/entrances/{entrance}/poster.pdf",
            "GET /v1/venues/{id}/entrances/{entrance}/poster.png",
            "POST /v1/devices",
            "POST /v1/gates/certificate",
            "POST /v1/risky-venues",
            "POST /v1/sync",
            "POST /v1/venues",
            "POST /v1/venues/{id}/entrances/{entrance}/gates",
        ]
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let item = &doc["components"]["schemas"]["ItemPayload"];
    assert!(item.to_string().contains("\"visit\""), "{item}");
}

/// Gate devices and phones sync at the same moment: every batch is stored,
/// none fails because another one is being written (SQLite takes the write
/// lock up front).
#[tokio::test(flavor = "multi_thread")]
async fn many_devices_syncing_at_once_all_succeed() {
    let server = start_with(&["--rate-per-minute", "100000"]);
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let token = register_phone(&http, &server).await;
        let (http, url) = (http.clone(), server.url("/v1/sync"));
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for _ in 0..10 {
                let at = now_ms() - 600_000;
                let items: Vec<Value> = (0..20)
                    .map(|_| visit_item(Uuid::now_v7(), at, None))
                    .collect();
                let response = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({ "items": items }))
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status().as_u16());
            }
            statuses
        }));
    }
    for task in tasks {
        assert!(task.await.unwrap().iter().all(|s| *s == 200));
    }
}

#[tokio::test]
async fn declarations_are_stored_once_and_invalid_ones_refused() {
    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let phone = register_phone(&http, &server).await;
    let declaration = Uuid::now_v7();
    let item = declaration_item(declaration, "0912345678");

    let first = sync(&http, &server, &phone, vec![item.clone()]).await;
    assert_eq!(first["results"][0]["status"], "accepted");
    // The answer was lost and the phone sends the batch again.
    let again = sync(&http, &server, &phone, vec![item]).await;
    assert_eq!(again["results"][0]["status"], "duplicate");

    // The form's rules hold on the server too: a phone number not in the
    // national form, a commune of another province.
    let mut other_province = declaration_item(Uuid::now_v7(), "0912345678");
    other_province["body"]["declaration"]["commune"] = json!(26_740);
    let refused = sync(
        &http,
        &server,
        &phone,
        vec![
            declaration_item(Uuid::now_v7(), "+84 912 345 678"),
            other_province,
        ],
    )
    .await;
    for result in refused["results"].as_array().unwrap() {
        assert_eq!(result["status"], "rejected");
        assert_eq!(result["reason"], "invalid_declaration");
    }

    // Another device cannot replace this device's declaration.
    let stranger = register_phone(&http, &server).await;
    let stolen = sync(
        &http,
        &server,
        &stranger,
        vec![declaration_item(declaration, "0987654321")],
    )
    .await;
    assert_eq!(stolen["results"][0]["reason"], "not_yours");

    let db = vaora_server::db::Db::connect(&server.database_url())
        .await
        .unwrap();
    assert_eq!(db.declaration_count().await.unwrap(), 1);
}

async fn key_ring(server: &Server) -> vaora_core::venue_code::KeyRing {
    let text = reqwest::get(server.url("/v1/keys"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    vaora_core::venue_code::KeyRing::from_json(&text).unwrap()
}

#[tokio::test]
async fn a_personal_pass_sealed_with_the_published_key_opens_only_with_the_servers() {
    use vaora_core::personal_pass::{AuthoritySecret, PersonalPass};
    const DECLARATION: &str = r#"{"fullName":"Nguyễn Văn An"}"#;

    let mut server = start();
    vaora_core::sync::install_tls_provider();
    let ring = key_ring(&server).await;
    let published = ring
        .current_authority_key()
        .expect("an authority key")
        .clone();
    let pass = PersonalPass::seal(
        "An",
        time::OffsetDateTime::now_utc().date(),
        &published,
        DECLARATION.as_bytes(),
    )
    .unwrap();
    let read_back = PersonalPass::parse(&pass.to_text()).unwrap().unwrap();

    // The private half stays in the data directory, owner-only.
    let hex = std::fs::read_to_string(server.data_file("authority.key")).unwrap();
    let secret: [u8; 32] = vaora_core::hex::decode_array(&hex).unwrap();
    let authority = AuthoritySecret::from_bytes(published.id, secret);
    assert_eq!(authority.public_key(), published);
    assert_eq!(authority.open(&read_back).unwrap(), DECLARATION.as_bytes());
    let stranger = AuthoritySecret::from_bytes(published.id, [7; 32]);
    assert!(stranger.open(&read_back).is_err());

    // A restart keeps the key: passes sealed before it still open.
    server.restart();
    assert_eq!(
        key_ring(&server).await.current_authority_key(),
        Some(&published)
    );
}

#[tokio::test]
async fn only_the_bound_gate_records_entries_and_a_check_out_updates_the_entry() {
    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let authority = authority_token(&server);
    let venue = server
        .register_venue(&authority, "Chợ Đồng Xuân", 70, 2)
        .await;
    let gate = bind_gate(&http, &server, &authority, venue, 2).await;
    let declaration = declaration_item(Uuid::now_v7(), "0912345678")["body"]["declaration"].clone();
    let entry_id = Uuid::now_v7();
    let item_id = Uuid::now_v7();
    let entry = |entrance: u16, out: Option<i64>| {
        json!({
            "id": item_id, "kind": "gate_entry",
            "body": {
                "id": entry_id, "venue": venue, "entrance": entrance,
                "checked_in_at": now_ms() - 60_000, "checked_out_at": out,
                "voided": false, "declaration": declaration
            }
        })
    };

    let first = sync(&http, &server, &gate, vec![entry(2, None)]).await;
    assert_eq!(first["results"][0]["status"], "accepted");
    // The same item later carries the check-out (the outbox item's id stays).
    let out = sync(&http, &server, &gate, vec![entry(2, Some(now_ms()))]).await;
    assert_eq!(out["results"][0]["status"], "duplicate");
    // Another entrance, or a phone, cannot record at this gate.
    let elsewhere = sync(&http, &server, &gate, vec![entry(1, None)]).await;
    assert_eq!(elsewhere["results"][0]["reason"], "not_this_gate");
    let phone = register_phone(&http, &server).await;
    let from_phone = sync(&http, &server, &phone, vec![entry(2, None)]).await;
    assert_eq!(from_phone["results"][0]["reason"], "not_this_gate");

    // The gate's own key is certified for its entrance: the rotating code
    // it shows verifies against the published key ring; a phone cannot
    // get a certificate.
    use vaora_core::venue_code::{GateCertificate, GateSigner};
    let seed = [6u8; 32];
    let public_key = vaora_core::hex::encode(&GateSigner::public_key_of(&seed));
    let certify = |token: &str| {
        http.post(server.url("/v1/gates/certificate"))
            .bearer_auth(token.to_owned())
            .json(&json!({ "public_key": public_key }))
            .send()
    };
    assert_eq!(
        certify(&phone).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let answer: Value = certify(&gate).await.unwrap().json().await.unwrap();
    let certificate = GateCertificate::from_text(answer["certificate"].as_str().unwrap()).unwrap();
    assert_eq!(certificate.content.entrance.0, 2);
    let code = GateSigner::new(&seed, certificate)
        .unwrap()
        .code_at(time::OffsetDateTime::now_utc());
    let ring = key_ring(&server).await;
    let ctx = vaora_core::ScanContext {
        key_ring: &ring,
        known_hosts: &[],
        today: vaora_core::calendar::vietnam_date(time::OffsetDateTime::now_utc()),
        now: time::OffsetDateTime::now_utc(),
    };
    match vaora_core::classify(&code, &ctx) {
        vaora_core::Scanned::Venue(v) => assert_eq!(v.content.venue.0, venue as u64),
        other => panic!("expected a verified gate code, got {other:?}"),
    }

    let db = vaora_server::db::Db::connect(&server.database_url())
        .await
        .unwrap();
    assert_eq!(db.gate_entry_count().await.unwrap(), 1);
    assert_eq!(
        db.gate_entry_checked_out(entry_id).await.unwrap(),
        Some(true)
    );
}

#[tokio::test]
async fn the_authority_marks_a_case_and_every_device_verifies_the_list() {
    use vaora_core::risk::RiskyList;

    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let authority = authority_token(&server);
    let venue = server
        .register_venue(&authority, "Chợ Đồng Xuân", 70, 2)
        .await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let case = |entrance: Option<u16>, from: i64, to: i64| {
        json!({
            "venue": venue, "entrance": entrance, "from": from, "minutes": (to - from) / 60,
            "advice_vi": "Theo dõi sức khoẻ 14 ngày; gọi trạm y tế nếu sốt, ho.",
            "advice_en": "Watch your health for 14 days; call the health station if you have a fever or cough."
        })
    };
    let mark = |token: &str, body: Value| {
        http.post(server.url("/v1/risky-venues"))
            .bearer_auth(token.to_owned())
            .json(&body)
            .send()
    };
    let first = mark(&authority, case(None, now - 7200, now - 3600))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let second = mark(&authority, case(Some(2), now - 3600, now - 1800))
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::CREATED);
    // Only the authority marks; a window must make sense; the entrance must exist.
    let phone = register_phone(&http, &server).await;
    let refused = mark(&phone, case(None, now - 7200, now - 3600))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let backwards = mark(&authority, case(None, now - 3600, now - 7200))
        .await
        .unwrap();
    assert_eq!(backwards.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let no_entrance = mark(&authority, case(Some(9), now - 7200, now - 3600))
        .await
        .unwrap();
    assert_eq!(no_entrance.status(), StatusCode::NOT_FOUND);

    // The list verifies against the published key ring, and a cursor
    // returns only what is new.
    let list: RiskyList = http
        .get(server.url("/v1/risky-venues"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let verified = list.verify(&key_ring(&server).await);
    assert_eq!(verified.entries.len(), 2);
    assert!(verified.rejected.is_empty());
    let cursor = verified.entries[0].id;
    let newer: RiskyList = http
        .get(server.url(&format!("/v1/risky-venues?after={cursor}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(newer.entries.len(), 1);
    assert_eq!(newer.entries[0].entry.entrance.map(|e| e.0), Some(2));
    let bad = http
        .get(server.url("/v1/risky-venues?after=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_tracing_query_finds_who_overlapped_with_what_they_declared() {
    use vaora_core::personal_pass::PersonalPass;

    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let authority = authority_token(&server);
    let venue = server
        .register_venue(&authority, "Chợ Đồng Xuân", 70, 2)
        .await;
    let from = time::OffsetDateTime::now_utc().unix_timestamp() - 3 * 3600;
    let at = |minutes: i64| (from + minutes * 60) * 1000;
    let visit_at = |start: i64, end: i64| {
        let mut item = visit_item(Uuid::now_v7(), at(start), Some(at(end)));
        item["body"]["venue"] = json!(venue);
        item
    };

    // A phone that declared (with a street a spreadsheet would run) and
    // was there during the case's hour; another that left long before.
    let there = register_phone(&http, &server).await;
    let mut declared = declaration_item(Uuid::now_v7(), "0912345678");
    declared["body"]["declaration"]["street"] = json!("=SUM(A1)");
    let sent = sync(&http, &server, &there, vec![declared, visit_at(10, 30)]).await;
    assert!(
        sent["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "accepted")
    );
    let away = register_phone(&http, &server).await;
    sync(&http, &server, &away, vec![visit_at(-300, -270)]).await;

    // A gate let someone in with a personal pass; a mistaken entry was voided.
    let gate = bind_gate(&http, &server, &authority, venue, 2).await;
    let ring = key_ring(&server).await;
    let pass = PersonalPass::seal(
        "Mai",
        time::OffsetDateTime::now_utc().date(),
        ring.current_authority_key().unwrap(),
        serde_json::to_string(
            &declaration_item(Uuid::now_v7(), "0987654321")["body"]["declaration"],
        )
        .unwrap()
        .replace("Nguyễn Văn An", "Trần Thị Mai")
        .as_bytes(),
    )
    .unwrap();
    let gate_entry = |voided: bool, minutes: i64, pass: Option<String>| {
        json!({
            "id": Uuid::now_v7(), "kind": "gate_entry",
            "body": {
                "id": Uuid::now_v7(), "venue": venue, "entrance": 2,
                "checked_in_at": at(minutes), "voided": voided, "pass": pass
            }
        })
    };
    let gated = sync(
        &http,
        &server,
        &gate,
        vec![
            gate_entry(false, 20, Some(pass.to_text())),
            gate_entry(true, 25, Some(pass.to_text())),
        ],
    )
    .await;
    assert!(
        gated["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "accepted")
    );

    let trace = |token: &str, query: String| {
        http.get(server.url(&format!("/v1/tracing?{query}")))
            .bearer_auth(token.to_owned())
            .send()
    };
    let query = format!("venue={venue}&from={from}&minutes=60");
    let found: Value = trace(&authority, query.clone())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contacts = found["contacts"].as_array().unwrap();
    let names: Vec<_> = contacts
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Mai"], "{found}");
    assert_eq!(contacts[0]["source"], "visit");
    assert_eq!(contacts[0]["phone"], "0912345678");
    assert_eq!(contacts[1]["source"], "gate");
    assert_eq!(
        contacts[1]["phone"], "0987654321",
        "the pass opened on the server"
    );

    // CSV for a spreadsheet: the street is text, not a formula.
    let csv = trace(&authority, format!("{query}&format=csv"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("\"'=SUM(A1)\""), "{csv}");

    // Only the authority traces; a query must say where and when.
    assert_eq!(
        trace(&there, query).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    let incomplete = trace(&authority, format!("venue={venue}")).await.unwrap();
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn activity_counts_checkpoints_that_scan_against_those_merely_created() {
    let server = start();
    vaora_core::sync::install_tls_provider();
    let http = reqwest::Client::new();
    let authority = authority_token(&server);
    let mut ids = Vec::new();
    for (name, commune) in [("Tạp hoá A", 70), ("Nhà thuốc B", 70), ("Quán C", 235)] {
        ids.push(server.register_venue(&authority, name, commune, 1).await);
    }
    // Today in Vietnam: two check-ins at A, one gate entry at B; one check-in
    // at A yesterday, outside the period. C never scans.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let day_start = ((now + 7 * 3600).div_euclid(86_400) * 86_400 - 7 * 3600) * 1000;
    let phone = register_phone(&http, &server).await;
    let at_a = |ms: i64| {
        let mut item = visit_item(Uuid::now_v7(), ms, None);
        item["body"]["venue"] = json!(ids[0]);
        item
    };
    sync(
        &http,
        &server,
        &phone,
        vec![
            at_a(day_start + 60_000),
            at_a(day_start + 120_000),
            at_a(day_start - 3_600_000),
        ],
    )
    .await;
    let gate = bind_gate(&http, &server, &authority, ids[1], 1).await;
    let declaration = declaration_item(Uuid::now_v7(), "0912345678")["body"]["declaration"].clone();
    let entered = sync(
        &http,
        &server,
        &gate,
        vec![json!({
            "id": Uuid::now_v7(), "kind": "gate_entry",
            "body": {
                "id": Uuid::now_v7(), "venue": ids[1], "entrance": 1,
                "checked_in_at": day_start + 180_000, "declaration": declaration
            }
        })],
    )
    .await;
    assert_eq!(entered["results"][0]["status"], "accepted");

    let stats: Value = http
        .get(server.url(&format!("/v1/activity?from={now}&days=1")))
        .bearer_auth(&authority)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let today = &stats["days"][0];
    assert_eq!(
        (
            today["created"].as_u64(),
            today["active"].as_u64(),
            today["scans"].as_i64()
        ),
        (Some(3), Some(2), Some(3)),
        "{stats}"
    );
    let first = &stats["communes"][0];
    assert_eq!(
        (
            first["commune"].as_u64(),
            first["created"].as_u64(),
            first["active"].as_u64()
        ),
        (Some(70), Some(2), Some(2))
    );
    assert_eq!(stats["communes"][1]["commune_name"], "Phường Đống Đa");
    assert_eq!(stats["communes"][1]["active"], 0);
    assert_eq!(stats["dormant_total"], 1);
    assert_eq!(stats["dormant"][0]["name"], "Quán C");
    // Scans per venue, busiest first; the dormant one is not listed.
    let busiest: Vec<_> = stats["busiest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap(), v["scans"].as_i64().unwrap()))
        .collect();
    assert_eq!(busiest, [("Tạp hoá A", 2), ("Nhà thuốc B", 1)]);
    // Both communes are in Hà Nội: one province, three created, two active.
    let province = &stats["provinces"][0];
    assert_eq!(stats["provinces"].as_array().unwrap().len(), 1, "{stats}");
    assert_eq!(
        (
            province["province_name"].as_str(),
            province["created"].as_u64(),
            province["active"].as_u64(),
            province["scans"].as_i64()
        ),
        (Some("Thành phố Hà Nội"), Some(3), Some(2), Some(3))
    );

    let phone_asks = http
        .get(server.url(&format!("/v1/activity?from={now}")))
        .bearer_auth(&phone)
        .send()
        .await
        .unwrap();
    assert_eq!(phone_asks.status(), StatusCode::FORBIDDEN);
}
