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

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertifyGateKey {
    /// The gate device's Ed25519 public key, 64 hex digits. Its private half
    /// never leaves the device.
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub public_key: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GateCertificateView {
    /// The certificate (base32): the entrance's venue-code content and the
    /// gate's key, signed by this server's issuer key.
    pub certificate: String,
}

#[utoipa::path(post, path = "/v1/gates/certificate", tag = "devices", request_body = CertifyGateKey,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The certificate for the calling gate's entrance and key", body = GateCertificateView),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 415, description = "The body is not declared as JSON", body = ErrorBody),
        (status = 413, description = "The body is over 256 KiB", body = ErrorBody),
        (status = 422, description = "Not a public key of 64 hex digits", body = ErrorBody),
        (status = 401, description = "No or unknown token", body = ErrorBody),
        (status = 403, description = "The caller is not a gate device", body = ErrorBody),
        (status = 404, description = "The gate's venue no longer exists", body = ErrorBody),
        (status = 429, description = "Over the token's budget; see Retry-After", body = ErrorBody),
    ))]
/// Certifies the calling gate device's key for the entrance it is bound
/// to, so it can show a rotating code (`vaora_core::venue_code::GateSigner`).
pub async fn certify_gate_key(
    State(state): State<AppState>,
    caller: Caller,
    Body(req): Body<CertifyGateKey>,
) -> Result<Json<GateCertificateView>, ApiError> {
    let device = caller.device()?;
    let (venue_id, entrance) = state.db.gate_of(device).await?.ok_or(ApiError::FORBIDDEN)?;
    let public_key: [u8; 32] = vaora_core::hex::decode_array(&req.public_key)
        .ok_or_else(|| ApiError::invalid("public_key"))?;
    let venue = state.db.venue(venue_id).await?.ok_or(ApiError::NOT_FOUND)?;
    let entrance = u16::try_from(entrance).map_err(|_| ApiError::NOT_FOUND)?;
    let content = crate::api::venues::content_of(&state, &venue, entrance)?;
    let certificate = state
        .issuer
        .certify_gate(content, public_key)
        .map_err(|e| {
            tracing::info!(error = %e, "gate key not certified");
            ApiError::invalid("venue_code")
        })?;
    Ok(Json(GateCertificateView {
        certificate: certificate.to_text(),
    }))
}
