//! Who is calling: the `Authorization: Bearer <token>` header, looked up by
//! its hash. Each handler states the roles it accepts with [`Caller::require`].

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::app::AppState;
use crate::db::{Role, TokenOwner};
use crate::error::ApiError;

/// The authenticated caller of a request.
#[derive(Debug, Clone, Copy)]
pub struct Caller(pub TokenOwner);

impl Caller {
    /// Refuses the request unless the caller has one of `roles`. An
    /// authority may do everything a registrar may.
    pub fn require(&self, roles: &[Role]) -> Result<TokenOwner, ApiError> {
        let role = self.0.role;
        let allowed =
            roles.contains(&role) || (role == Role::Authority && roles.contains(&Role::Registrar));
        if allowed {
            Ok(self.0)
        } else {
            Err(ApiError::FORBIDDEN)
        }
    }

    /// The calling device's id, for device-only routes.
    pub fn device(&self) -> Result<i64, ApiError> {
        self.require(&[Role::Device])?
            .device_id
            .ok_or(ApiError::FORBIDDEN)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or(ApiError::UNAUTHORIZED)?;
        let owner = state
            .db
            .token_owner(token)
            .await?
            .ok_or(ApiError::UNAUTHORIZED)?;
        state.limits.check_token(token)?;
        Ok(Caller(owner))
    }
}
