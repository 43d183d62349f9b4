//! Fault injection for the sync tests (feature `faults`; never in a
//! release build). A seeded random share of requests fails the way real
//! servers and networks do: `500`, `503` or `429` with `Retry-After`
//! before anything is stored, or the work is committed and the answer lost
//! (a `500` after commit, as when a proxy drops the response).
//!
//! `POST /test/faults {"rate_percent": 0..=100, "seed": n}` sets the rate,
//! so a test can make faults come and go.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Default)]
pub struct Faults {
    state: Mutex<FaultState>,
}

#[derive(Default)]
struct FaultState {
    rate_percent: u64,
    rng: u64,
}

#[derive(Debug, Deserialize)]
pub struct SetFaults {
    pub rate_percent: u8,
    pub seed: u64,
}

enum Fault {
    Status(StatusCode),
    LostAfterCommit,
}

impl Faults {
    fn roll(&self) -> Option<Fault> {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if s.rate_percent == 0 {
            return None;
        }
        // xorshift64*: a tiny deterministic generator, enough for tests.
        s.rng ^= s.rng >> 12;
        s.rng ^= s.rng << 25;
        s.rng ^= s.rng >> 27;
        let r = s.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        if r % 100 >= s.rate_percent {
            return None;
        }
        Some(match (r >> 32) % 4 {
            0 => Fault::Status(StatusCode::INTERNAL_SERVER_ERROR),
            1 => Fault::Status(StatusCode::SERVICE_UNAVAILABLE),
            2 => Fault::Status(StatusCode::TOO_MANY_REQUESTS),
            _ => Fault::LostAfterCommit,
        })
    }
}

pub async fn set(State(faults): State<Arc<Faults>>, Json(req): Json<SetFaults>) -> StatusCode {
    let mut s = faults.state.lock().unwrap_or_else(|p| p.into_inner());
    s.rate_percent = u64::from(req.rate_percent.min(100));
    s.rng = req.seed | 1;
    StatusCode::NO_CONTENT
}

pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/test/") {
        return next.run(request).await;
    }
    match faults.roll() {
        None => next.run(request).await,
        Some(Fault::Status(status)) => {
            let mut response = status.into_response();
            // "Come back at once": keeps the tests fast; the header is what counts.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
            response
        }
        Some(Fault::LostAfterCommit) => {
            let _committed = next.run(request).await;
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
