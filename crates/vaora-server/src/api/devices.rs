//! Device registration: a phone gets a device token with no questions
//! asked (it proves nothing but lets the server deduplicate); a gate device
//! is bound to one venue entrance by a registrar.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::api::extract::{Body, Params};
use crate::app::AppState;
use crate::auth::Caller;
use crate::db::{DeviceKind, Role};
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterDevice {
    pub kind: SelfRegistered,
}

/// What may register itself: only a citizen's phone (a gate is bound by a
/// registrar, `…/gates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfRegistered {
    Citizen,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeviceToken {
    pub device_id: i64,
    /// Shown once; the server keeps only its hash.
    pub token: String,
}

#[utoipa::path(post, path = "/v1/devices", tag = "devices", request_body = RegisterDevice,
    responses(
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
                (status = 201, description = "The device's token, shown once", body = DeviceToken),
        (status = 422, description = "Only citizen devices register themselves", body = ErrorBody),
        (status = 429, description = "Too many registrations from this address; see Retry-After", body = ErrorBody),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Body(req): Body<RegisterDevice>,
) -> Result<(StatusCode, Json<DeviceToken>), ApiError> {
    state.limits.check_address(peer.ip())?;
    let SelfRegistered::Citizen = req.kind;
    new_device(&state, DeviceKind::Citizen, None).await
}

#[utoipa::path(post, path = "/v1/venues/{id}/entrances/{entrance}/gates", tag = "devices",
    params(("id" = i64, Path, description = "Venue number"), ("entrance" = u16, Path, description = "Entrance number, from 1", minimum = 1, maximum = 65535)),
    security(("bearer" = [])),
    responses(
        (status = 400, description = "A path number does not parse", body = ErrorBody),
                (status = 201, description = "The gate device's token, shown once", body = DeviceToken),
        (status = 404, description = "No such venue or entrance", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The token's role may not do this", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
pub async fn bind_gate(
    State(state): State<AppState>,
    caller: Caller,
    Params((venue_id, entrance)): Params<(i64, u16)>,
) -> Result<(StatusCode, Json<DeviceToken>), ApiError> {
    caller.require(&[Role::Registrar])?;
    let venue = state.db.venue(venue_id).await?.ok_or(ApiError::NOT_FOUND)?;
    if entrance == 0 || entrance > venue.venue.entrances {
        return Err(ApiError::NOT_FOUND);
    }
    new_device(
        &state,
        DeviceKind::Gate,
        Some((venue.id, i32::from(entrance))),
    )
    .await
}

/// Registers a device and gives it its token (shown once).
async fn new_device(
    state: &AppState,
    kind: DeviceKind,
    gate_of: Option<(i64, i32)>,
) -> Result<(StatusCode, Json<DeviceToken>), ApiError> {
    let device = state.db.register_device(kind, gate_of).await?;
    let token = state.db.issue_token(Role::Device, Some(device.id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(DeviceToken {
            device_id: device.id,
            token,
        }),
    ))
}
