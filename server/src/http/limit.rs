//! Rate limits: a token bucket per key — a client's address (an IPv6 client counts by its /64,
//! the block one subscriber usually gets), so that guessing tracking codes is slow, or a person
//! asking for sign-in codes — the client's address, and the 429 answer once a key has used up
//! its tries.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::http::StatusCode;

use crate::http::error::ApiError;

/// Buckets kept before idle ones (full again) are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// What a limit counts by: a client's address (by [`client_key`]) or a person (as is).
pub trait LimitKey: Eq + Hash + Sized {
    /// The bucket this key's attempts go to.
    fn bucket(self) -> Self {
        self
    }
}

impl LimitKey for IpAddr {
    fn bucket(self) -> IpAddr {
        client_key(self)
    }
}

impl LimitKey for String {}

/// `count` attempts per `seconds` per key (a client's address by default), in bursts of at most
/// `count`.
pub struct RateLimiter<K = IpAddr> {
    count: u32,
    seconds: u32,
    /// Buckets never refill (`serve --frozen-rate-limits`, for tests): the limit is reached after
    /// exactly `count` attempts however slow the machine.
    frozen: bool,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: LimitKey> RateLimiter<K> {
    /// `per_minute` attempts a minute.
    pub fn new(per_minute: u32) -> RateLimiter<K> {
        RateLimiter::per(per_minute, 60)
    }

    /// `count` attempts per `seconds`.
    pub fn per(count: u32, seconds: u32) -> RateLimiter<K> {
        RateLimiter {
            count: count.max(1),
            seconds: seconds.max(1),
            frozen: false,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The same limit, but (when `frozen`) a bucket once used never refills (tests only).
    pub fn frozen(self, frozen: bool) -> RateLimiter<K> {
        RateLimiter { frozen, ..self }
    }

    /// Takes one attempt for `key`, or says how many seconds to wait for the next.
    pub fn check(&self, key: K) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: K, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.count);
        let per_second = capacity / f64::from(self.seconds);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_CLIENTS {
            buckets.retain(|_, b| b.tokens + self.refilled(b, now, per_second) < capacity);
        }
        let bucket = buckets.entry(key.bucket()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        bucket.tokens = (bucket.tokens + self.refilled(bucket, now, per_second)).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }

    /// The tokens `bucket` has gained since it was last used (none when frozen).
    fn refilled(&self, bucket: &Bucket, now: Instant, per_second: f64) -> f64 {
        if self.frozen {
            0.0
        } else {
            now.duration_since(bucket.at).as_secs_f64() * per_second
        }
    }
}

/// The client's address, as the server accepted the connection (unspecified when the router is
/// driven in process, without a socket).
pub fn client_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// 429 with `Retry-After` once `key` (a client's address, a person) has used up its tries of
/// `limiter`.
pub fn limited<K: LimitKey>(limiter: &RateLimiter<K>, key: K) -> Result<(), ApiError> {
    limiter.check(key).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("too many tries; try again in {wait} seconds."),
            crate::fa_digits(&format!(
                "تعداد تلاش‌ها بیش از حد است؛ {wait} ثانیه دیگر دوباره تلاش کنید."
            )),
        )
        .retry_after(wait)
    })
}

/// The address a client is counted by: IPv4 as is, IPv6 by its /64 (an IPv4-mapped address as
/// the IPv4 one).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_one_a_refill() {
        let limiter = RateLimiter::<IpAddr>::new(10);
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let other: IpAddr = "203.0.113.8".parse().unwrap();
        let t0 = Instant::now();
        for _ in 0..10 {
            assert_eq!(limiter.check_at(ip, t0), Ok(()));
        }
        assert_eq!(limiter.check_at(ip, t0), Err(6));
        assert_eq!(limiter.check_at(other, t0), Ok(()));
        assert_eq!(limiter.check_at(ip, t0 + Duration::from_secs(6)), Ok(()));
        assert!(limiter.check_at(ip, t0 + Duration::from_secs(6)).is_err());
    }

    #[test]
    fn a_frozen_bucket_never_refills() {
        let limiter = RateLimiter::<IpAddr>::new(2).frozen(true);
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let t0 = Instant::now();
        assert_eq!(limiter.check_at(ip, t0), Ok(()));
        assert_eq!(limiter.check_at(ip, t0 + Duration::from_secs(3600)), Ok(()));
        assert_eq!(
            limiter.check_at(ip, t0 + Duration::from_secs(7200)),
            Err(30)
        );
    }

    #[test]
    fn a_person_limit_over_a_longer_window() {
        let limiter = RateLimiter::<String>::per(3, 900);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(
                limiter.check_at("national_id:0084575948".into(), t0),
                Ok(())
            );
        }
        assert_eq!(
            limiter.check_at("national_id:0084575948".into(), t0),
            Err(300)
        );
        assert_eq!(
            limiter.check_at("national_id:0123456789".into(), t0),
            Ok(())
        );
        let later = t0 + std::time::Duration::from_secs(300);
        assert_eq!(
            limiter.check_at("national_id:0084575948".into(), later),
            Ok(())
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let limiter = RateLimiter::<IpAddr>::new(1);
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let t0 = Instant::now();
        assert!(limiter.check_at(a, t0).is_ok());
        assert!(limiter.check_at(b, t0).is_err());
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}
