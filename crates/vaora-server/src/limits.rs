//! Rate limits: each bearer token, and each client address for the one
//! route without a token (device registration), gets a budget of requests
//! per minute. Over it, the answer is `429` with `Retry-After`, which the
//! app's sync engine honours.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

pub struct Limits {
    tokens: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(per_token_per_minute: u32, registrations_per_minute: u32) -> Limits {
        Limits {
            tokens: RateLimiter::keyed(per_minute(per_token_per_minute)),
            addresses: RateLimiter::keyed(per_minute(registrations_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check_token(&self, token: &str) -> Result<(), ApiError> {
        self.tokens
            .check_key(&token.to_owned())
            .map_err(|not_until| too_many(not_until.wait_time_from(self.clock.now())))
    }

    pub fn check_address(&self, address: IpAddr) -> Result<(), ApiError> {
        self.addresses
            .check_key(&address)
            .map_err(|not_until| too_many(not_until.wait_time_from(self.clock.now())))
    }

    /// Forgets keys that have been quiet (run with the hourly purge).
    pub fn forget_idle(&self) {
        self.tokens.retain_recent();
        self.addresses.retain_recent();
    }
}

fn too_many(wait: Duration) -> ApiError {
    ApiError::too_many_requests(wait.as_secs() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_gets_its_budget_then_waits() {
        let limits = Limits::new(3, 3);
        for _ in 0..3 {
            assert!(limits.check_token("a").is_ok());
        }
        let refused = limits.check_token("a").expect_err("over budget");
        assert_eq!(refused.status.as_u16(), 429);
        assert!(refused.retry_after.is_some_and(|s| (1..=21).contains(&s)));
        assert!(limits.check_token("b").is_ok(), "budgets are per token");
    }
}
