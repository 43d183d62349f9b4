//! The frame every page shares (header, language switch; for the console
//! also navigation and sign-out) and the one stylesheet, served from here
//! since the pages' security policy allows no inline styles.

use axum::http::header;
use axum::response::IntoResponse;
use maud::{DOCTYPE, Markup, html};

use super::session::Officer;

/// Where every page's stylesheet is served.
pub const STYLESHEET: &str = "/static/vaora.css";
use super::words::Lang;

/// Which console page is shown (highlighted in the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    SignIn,
    Activity,
    Tracing,
    Risky,
}

/// A notice above a page's content.
pub enum Notice<'a> {
    Problem(&'a str),
    Done(&'a str),
}

/// A whole page: head, a header with `header` and the language switch, and
/// `content` under an `h1` of `title`.
pub fn document(lang: Lang, title: &str, site: &str, header: Markup, content: Markup) -> Markup {
    let w = lang.words();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (site) }
                link rel="stylesheet" href=(STYLESHEET);
            }
            body {
                header {
                    p.brand { (site) }
                    (header)
                    a.lang href={ "/lang/" (lang.other().code()) } lang=(lang.other().code()) {
                        (w.switch_language)
                    }
                }
                main {
                    h1 { (title) }
                    (content)
                }
            }
        }
    }
}

/// A console page: the navigation and sign-out for a signed-in officer.
pub fn shell(
    lang: Lang,
    section: Section,
    officer: Option<&Officer>,
    title: &str,
    content: Markup,
) -> Markup {
    let w = lang.words();
    let link = |target: Section, href: &str, label: &str| {
        html! {
            a href=(href) aria-current=[(section == target).then_some("page")] { (label) }
        }
    };
    let header = html! {
        @if let Some(officer) = officer {
            nav aria-label=(w.console) {
                (link(Section::Activity, "/console/activity", w.nav_activity))
                (link(Section::Tracing, "/console/tracing", w.nav_tracing))
                (link(Section::Risky, "/console/risky", w.nav_risky))
            }
            form.signout method="post" action="/console/logout" {
                input type="hidden" name="form_token" value=(officer.form_token);
                button type="submit" { (w.sign_out) }
            }
        }
    };
    document(lang, title, w.console, header, content)
}

pub fn notice(notice: &Notice) -> Markup {
    match notice {
        Notice::Problem(text) => html! { p.notice.problem role="alert" { (text) } },
        Notice::Done(text) => html! { p.notice.done role="status" { (text) } },
    }
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("vaora.css"),
    )
}
