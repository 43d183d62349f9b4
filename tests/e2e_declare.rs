//! Journey: a citizen declares for herself (a half-filled form first: every
//! problem shown, nothing typed lost), opens her personal pass and a gate's
//! scanner reads it, then declares for a child, starting from the
//! household's address.

mod support;

use vaora_core::personal_pass::{AuthoritySecret, PersonalPass};
use vaora_core::venue_code::{KeyId, KeyRing};

use support::Driver;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn declare_for_oneself_show_the_pass_then_declare_for_a_child() {
    let driver = Driver::start();
    let authority = AuthoritySecret::from_bytes(KeyId(1), [5; 32]);
    driver.trust_keys(&KeyRing {
        authority_keys: vec![authority.public_key()],
        ..KeyRing::default()
    });
    // A visit from this morning, to declare for later.
    let visited = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    driver.seed_journal(|journal| {
        let me = journal.me().unwrap().id;
        journal
            .add_manual_visit(me, "Bệnh viện Bạch Mai", None, visited, None, visited)
            .unwrap();
    });
    let app = driver.launch_app().await;
    app.go("declare").await;
    app.click("declare-open").await;
    app.element("declare-form").await;

    // Half filled: a name and a wrong phone. Every problem at once, each
    // beside its field; what was typed stays.
    app.type_into("decl-fullName", "Nguyễn Thị Mai").await;
    app.type_into("decl-phone", "0912 345").await;
    app.click("declare-submit").await;
    app.wait_text(
        "declare-invalid",
        "Còn 7 mục cần sửa. Những gì đã nhập vẫn được giữ.",
    )
    .await;
    assert_eq!(
        app.text("decl-phone-error").await,
        "Số điện thoại không đúng: di động 10 số (03, 05, 07, 08, 09…) hoặc cố định 11 số (02…)."
    );
    assert_eq!(
        app.text("decl-commune-error").await,
        "Hãy chọn xã, phường hoặc đặc khu."
    );
    let name = app.element("decl-fullName").await;
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Nguyễn Thị Mai")
    );
    app.screenshot_of("declare-form", "declare-errors-vi").await;

    // Complete it. The address comes from a search without diacritics.
    app.select("decl-idKind", "cccd").await;
    app.type_into("decl-idNumber", "001 185 001 234").await;
    app.type_into("decl-birthYear", "1985").await;
    app.click("decl-sex-female").await;
    app.type_into("decl-phone", "678").await;
    app.type_into("decl-place-search", "dong da").await;
    let first = app.element("decl-place-option").await;
    assert!(first.text().await.unwrap().starts_with("Phường Đống Đa"));
    app.click("decl-place-option").await;
    app.wait_text("decl-place-chosen-name", "Phường Đống Đa, Hà Nội")
        .await;
    app.type_into("decl-street", "12 ngõ 34 Tôn Đức Thắng")
        .await;
    app.click("decl-symptom-cough").await;
    app.click("decl-consent").await;
    app.click("declare-submit").await;
    app.wait_text(
        "declare-saved",
        "Đã lưu tờ khai của Mai. Tờ khai sẽ được gửi khi có mạng.",
    )
    .await;
    // A symptom: the person is told to see the health desk first.
    assert!(
        app.text("declare-attention")
            .await
            .contains("báo nhân viên y tế")
    );

    // The personal pass: a QR that a gate's scanner reads. The gate sees
    // only the given name; the declaration opens only with the authority's
    // key.
    app.click("pass-open").await;
    app.wait_text("pass-name", "Mai").await;
    let shot = app.screenshot_of("pass", "personal-pass-vi").await;
    let frame = vaora_scan::frame_from_encoded(&std::fs::read(shot).unwrap()).unwrap();
    let payloads = vaora_scan::decode(&frame);
    let text = &payloads
        .first()
        .expect("the pass QR reads from the screen")
        .text;
    let pass = PersonalPass::parse(text).unwrap().unwrap();
    assert_eq!(pass.first_name, "Mai");
    let sealed: serde_json::Value =
        serde_json::from_slice(&authority.open(&pass).unwrap()).unwrap();
    assert_eq!(sealed["fullName"], "Nguyễn Thị Mai");
    assert_eq!(sealed["idNumber"], "001185001234");
    assert_eq!(sealed["phone"], "0912345678");
    assert_eq!(sealed["symptoms"], serde_json::json!(["cough"]));

    // A child: added once, her form starts from the household's address
    // and phone; a child under 14 may declare without a document.
    app.click("declare-open").await;
    app.click("family-add").await;
    app.type_into("family-name", "Bé Na").await;
    app.click("family-save").await;
    app.wait_text("decl-place-chosen-name", "Phường Đống Đa, Hà Nội")
        .await;
    let phone = app.element("decl-phone").await;
    assert_eq!(
        phone.prop("value").await.unwrap().as_deref(),
        Some("0912345678")
    );
    let name = app.element("decl-fullName").await;
    assert_eq!(name.prop("value").await.unwrap().as_deref(), Some(""));
    app.type_into("decl-fullName", "Trần Thị Na").await;
    app.select("decl-idKind", "none").await;
    app.type_into("decl-birthYear", "2019").await;
    app.click("decl-sex-female").await;
    app.click("decl-consent").await;
    app.click("declare-submit").await;
    app.wait_text(
        "declare-saved",
        "Đã lưu tờ khai của Na. Tờ khai sẽ được gửi khi có mạng.",
    )
    .await;
    assert!(app.texts("declare-attention").await.is_empty());

    // Declaring again for herself starts from her last declaration; consent
    // is asked again.
    app.click("declare-open").await;
    app.wait_text("decl-place-chosen-name", "Phường Đống Đa, Hà Nội")
        .await;
    let name = app.element("decl-fullName").await;
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Nguyễn Thị Mai")
    );
    assert!(
        !app.element("decl-consent")
            .await
            .is_selected()
            .await
            .unwrap()
    );
    assert_eq!(
        app.texts("declare-person").await,
        ["Tôi", "Bé Na"],
        "the family chooser lists the owner first"
    );

    // A declaration for one visit, from its detail sheet: only that
    // visit's person, prefilled.
    app.go("journal").await;
    app.click("visit").await;
    app.click("detail-declare").await;
    app.wait_text("decl-place-chosen-name", "Phường Đống Đa, Hà Nội")
        .await;
    let chooser = app
        .client
        .find_all(fantoccini::Locator::Css(
            "[role=dialog] [data-testid=declare-person]",
        ))
        .await
        .unwrap();
    assert_eq!(chooser.len(), 1, "only the visit's person");
    assert_eq!(chooser[0].text().await.unwrap(), "Tôi");
    let consents = app
        .client
        .find_all(fantoccini::Locator::Css(
            "[role=dialog] [data-testid=decl-consent]",
        ))
        .await
        .unwrap();
    consents[0].click().await.unwrap();
    app.client
        .find(fantoccini::Locator::Css(
            "[role=dialog] [data-testid=declare-submit]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let saved = app
        .client
        .wait()
        .for_element(fantoccini::Locator::Css(
            "[role=dialog] [data-testid=declare-saved]",
        ))
        .await
        .unwrap();
    assert_eq!(
        saved.text().await.unwrap(),
        "Đã lưu tờ khai của Mai. Tờ khai sẽ được gửi khi có mạng."
    );
    app.close().await;

    // On the device: Mai's two declarations and Na's, the last attached to
    // the visit.
    let journal = driver.open_journal();
    let visit = journal.visits_page(None, 1).unwrap().remove(0);
    let attached = journal.declaration_for_visit(visit.id).unwrap().unwrap();
    assert_eq!(attached.declaration.full_name, "Nguyễn Thị Mai");
    assert_eq!(journal.declarations(10).unwrap().len(), 3);
}
