//! Check-out reminders, end to end: a visit whose automatic check-out is
//! near raises a system notification with a "check out" action; the action
//! checks out without touching the app's window. Without a notification
//! server the home screen asks the same question.
//!
//! The notification server is this test's own, on a private D-Bus session
//! bus (a real `dbus-daemon`): the process boundary the app talks across.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use vaora_core::venue::{CommuneCode, EntranceNo, Venue, VenueId, VenueKind};
use vaora_core::{CheckIn, Journal, Place, Verification, VisitSource};
use zbus::zvariant::OwnedValue;

use support::Driver;

/// A market visit 55 minutes into a 60-minute default stay: its reminder
/// (10 minutes before the automatic check-out) is due.
fn seed_due_visit(journal: &mut Journal, place: &str) {
    let me = journal.me().unwrap().id;
    journal
        .check_in(CheckIn {
            people: vec![me],
            place: Place::Venue {
                venue: Venue {
                    id: VenueId(8_001),
                    short_name: place.into(),
                    commune: Some(CommuneCode(20_194)),
                    kind: VenueKind::Market,
                    default_stay_minutes: 60,
                },
                entrance: EntranceNo(1),
            },
            source: VisitSource::Scan,
            verification: Verification::Verified,
            at: OffsetDateTime::now_utc() - time::Duration::minutes(55),
        })
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display and tauri-driver: run by scripts/test"]
async fn without_a_notification_server_the_home_screen_asks_and_checks_out() {
    let driver = Driver::start();
    driver.seed_journal(|j| seed_due_visit(j, "Chợ Hàn"));
    let app = driver.launch_app().await;
    app.wait_text("reminder-title", "Bạn vẫn đang ở Chợ Hàn?")
        .await;
    app.screenshot_of("reminder", "reminder-vi").await;
    app.click("reminder-check-out").await;
    wait_until(|| async { app.texts("reminder").await.is_empty() }).await;
    app.go("journal").await;
    wait_until(|| async { !app.texts("visit-out").await.is_empty() }).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a display, tauri-driver and dbus-daemon: run by scripts/test"]
async fn the_notification_action_checks_out_without_opening_the_app() {
    let bus = PrivateBus::start();
    let shown: Arc<Mutex<Vec<Shown>>> = Arc::default();
    let server = zbus::blocking::connection::Builder::address(bus.address.as_str())
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at(
            "/org/freedesktop/Notifications",
            NotificationServer {
                shown: Arc::clone(&shown),
            },
        )
        .unwrap()
        .build()
        .expect("notification server on the private bus");

    let driver = Driver::on_session_bus(&bus.address);
    driver.seed_journal(|j| seed_due_visit(j, "Siêu thị <b>Co.op</b> & Xtra"));
    let app = driver.launch_app().await;
    app.go("journal").await;
    app.wait_text("visits-total", "1").await;

    // The reminder arrives as a system notification with the action.
    let deadline = Instant::now() + Duration::from_secs(20);
    let notification = loop {
        if let Some(n) = shown.lock().unwrap().first().cloned() {
            break n;
        }
        assert!(Instant::now() < deadline, "no notification raised");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Untrusted text cannot become markup in the notification.
    assert_eq!(
        notification.summary,
        "Bạn vẫn đang ở Siêu thị ‹b›Co.op‹/b› ＆ Xtra?"
    );
    assert!(notification.body.contains("Ra về"), "{}", notification.body);
    let check_out = notification
        .actions
        .iter()
        .position(|a| a == "check-out")
        .expect("a check-out action");
    assert_eq!(notification.actions[check_out + 1], "Ra về");
    assert!(app.texts("visit-out").await.is_empty());

    // The user taps "Ra về" on the notification.
    server
        .emit_signal(
            None::<&str>,
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "ActionInvoked",
            &(notification.id, "check-out"),
        )
        .unwrap();
    wait_until(|| async { !app.texts("visit-out").await.is_empty() }).await;
    assert_eq!(shown.lock().unwrap().len(), 1, "raised once");
    app.close().await;
}

async fn wait_until<F, Fut>(mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done().await {
        assert!(Instant::now() < deadline, "condition not reached in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[derive(Debug, Clone)]
struct Shown {
    id: u32,
    summary: String,
    body: String,
    actions: Vec<String>,
}

/// The freedesktop notification interface, as far as the app uses it.
struct NotificationServer {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl NotificationServer {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".into(), "body".into()]
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: String,
        replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        let id = if replaces_id > 0 {
            replaces_id
        } else {
            shown.len() as u32 + 1
        };
        shown.push(Shown {
            id,
            summary,
            body,
            actions,
        });
        id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "vaora-test".into(),
            "VaoRa".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// A throwaway `dbus-daemon` session bus on a socket in a temp directory.
struct PrivateBus {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    fn start() -> PrivateBus {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            format!(
                r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={}/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>"#,
                dir.path().display()
            ),
        )
        .unwrap();
        let mut child = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("dbus-daemon (apt install dbus-daemon)");
        let mut address = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        PrivateBus {
            child,
            address: address.trim().to_owned(),
            _dir: dir,
        }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
