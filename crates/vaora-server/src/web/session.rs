//! Console sign-in: the authority token is typed once and exchanged for a
//! random session id in an `HttpOnly`, `SameSite=Strict` cookie, so the
//! token itself never sits in a browser. Sessions live in memory (a restart
//! signs everyone out, which is acceptable for a handful of officers) and
//! expire after a working day. Each carries a token that every form posts
//! back, against cross-site requests in old browsers without SameSite.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::AppState;
use crate::db::new_token;

pub const SESSION_COOKIE: &str = "vaora_console";
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Bounds memory if someone signs in in a loop.
const MAX_SESSIONS: usize = 10_000;

struct Session {
    form_token: String,
    expires: Instant,
}

#[derive(Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, Session>>,
}

/// A signed-in health authority officer.
#[derive(Debug, Clone)]
pub struct Officer {
    /// Posted back by every form of this session.
    pub form_token: String,
}

impl Sessions {
    /// A new session: its id (for the cookie).
    pub fn open(&self) -> String {
        let id = new_token();
        let now = Instant::now();
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.retain(|_, s| s.expires > now);
        if open.len() >= MAX_SESSIONS {
            // The oldest go first.
            if let Some(oldest) = open
                .iter()
                .min_by_key(|(_, s)| s.expires)
                .map(|(k, _)| k.clone())
            {
                open.remove(&oldest);
            }
        }
        open.insert(
            id.clone(),
            Session {
                form_token: new_token(),
                expires: now + SESSION_LIFETIME,
            },
        );
        id
    }

    pub fn officer(&self, id: &str) -> Option<Officer> {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.get(id)
            .filter(|s| s.expires > Instant::now())
            .map(|s| Officer {
                form_token: s.form_token.clone(),
            })
    }

    pub fn close(&self, id: &str) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.remove(id);
    }
}

impl Officer {
    /// Whether a posted form came from this session's pages.
    pub fn sent(&self, form_token: Option<&str>) -> bool {
        form_token.is_some_and(|t| t == self.form_token)
    }
}

/// The session id in the request, if any.
pub fn session_id(parts_headers: &axum::http::HeaderMap) -> Option<&str> {
    super::cookie(parts_headers, SESSION_COOKIE)
}

impl FromRequestParts<AppState> for Officer {
    /// Not signed in: to the sign-in page.
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        session_id(&parts.headers)
            .and_then(|id| state.sessions.officer(id))
            .ok_or_else(|| Redirect::to("/console/login").into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_found_by_its_id_until_closed() {
        let sessions = Sessions::default();
        let id = sessions.open();
        let officer = sessions.officer(&id).expect("open");
        assert!(officer.sent(Some(&officer.form_token)));
        assert!(!officer.sent(Some("forged")));
        assert!(!officer.sent(None));
        assert!(sessions.officer("guess").is_none());
        let other = sessions.open();
        assert_ne!(
            sessions.officer(&other).map(|o| o.form_token),
            Some(officer.form_token),
            "each session has its own form token"
        );
        sessions.close(&id);
        assert!(sessions.officer(&id).is_none());
        assert!(sessions.officer(&other).is_some());
    }
}
