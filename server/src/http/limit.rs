//! Rate limits: a token bucket per key — a client's address (an IPv6 client counts by its /64,
//! the block one subscriber usually gets), so that guessing tracking codes is slow, or a person
//! asking for sign-in codes — in a map of bounded size; the client's address (the socket's peer,
//! or what a trusted reverse proxy says in `X-Forwarded-For`), and the 429 answer once a key has
//! used up its tries.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::http::error::ApiError;

/// Most buckets a limiter keeps. Buckets full again (idle long enough) are forgotten when the map
/// is full; if every bucket is still in use, the keys not in the map share one overflow bucket
/// of the same limit until buckets are forgotten (docs/deploy.md, "Rate limits"): memory stays
/// bounded, and a flood of new addresses neither grows the map nor resets anyone's bucket.
const MAX_CLIENTS: usize = 10_000;

/// Least time between two sweeps of a full map (a sweep reads every bucket).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

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
    buckets: Mutex<Buckets<K>>,
}

/// The buckets by key, at most [`MAX_CLIENTS`], and the one the others share when it is full.
struct Buckets<K> {
    map: HashMap<K, Bucket>,
    overflow: Option<Bucket>,
    swept: Option<Instant>,
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
            buckets: Mutex::new(Buckets {
                map: HashMap::new(),
                overflow: None,
                swept: None,
            }),
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
        let key = key.bucket();
        let full = Bucket {
            tokens: capacity,
            at: now,
        };
        let mut guard = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let buckets = &mut *guard;
        let known = buckets.map.contains_key(&key);
        let due = buckets
            .swept
            .is_none_or(|at| now.duration_since(at) >= SWEEP_EVERY);
        if !known && buckets.map.len() >= MAX_CLIENTS && due {
            buckets
                .map
                .retain(|_, b| b.tokens + self.refilled(b, now, per_second) < capacity);
            buckets.swept = Some(now);
            if buckets.map.len() < MAX_CLIENTS {
                buckets.overflow = None;
            }
        }
        let bucket = if known || buckets.map.len() < MAX_CLIENTS {
            buckets.map.entry(key).or_insert(full)
        } else {
            buckets.overflow.get_or_insert(full)
        };
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

/// The reverse proxies whose `X-Forwarded-For` is believed (`serve --trusted-proxy`, repeatable;
/// none by default: the header is ignored).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a connection from `peer` that carries `forwarded` (the `X-Forwarded-For`
    /// list): the peer itself unless it is a trusted proxy; else, walking the list from its end
    /// (each proxy appends the address it saw), the first address that is not a trusted proxy
    /// (what the client wrote before it counts for nothing). A malformed or missing list counts
    /// the peer; a list of trusted proxies only, its first address.
    pub fn client(&self, peer: IpAddr, forwarded: Option<&str>) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let Some(list) = forwarded else {
            return peer;
        };
        let mut client = peer;
        for entry in list.rsplit(',') {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                Err(_) => return peer,
            }
        }
        client
    }
}

/// `serve --trusted-proxy`'s value: an address or a CIDR block.
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR block"))
}

/// The client's address as [`client_address`] found it.
#[derive(Clone, Copy)]
struct ClientIp(IpAddr);

/// The layer that finds every request's client address ([`TrustedProxies::client`]) once, for
/// [`client_ip`].
pub async fn client_address(
    State(trusted): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = peer_ip(request.extensions());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or("?"))
        .collect();
    let forwarded = (!forwarded.is_empty()).then(|| forwarded.join(","));
    let client = trusted.client(peer, forwarded.as_deref());
    request.extensions_mut().insert(ClientIp(client));
    next.run(request).await
}

/// The socket's peer, as the server accepted the connection (unspecified when the router is
/// driven in process, without a socket).
fn peer_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// The client's address: what [`client_address`] found, or the socket's peer.
pub fn client_ip(extensions: &axum::http::Extensions) -> IpAddr {
    extensions
        .get::<ClientIp>()
        .map_or_else(|| peer_ip(extensions), |c| c.0)
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

    /// `n` distinct IPv6 clients (one per /64).
    fn clients(n: usize) -> impl Iterator<Item = IpAddr> {
        (0..n).map(|i| {
            IpAddr::V6(std::net::Ipv6Addr::new(
                0x2001,
                0xdb8,
                (i >> 16) as u16,
                i as u16,
                0,
                0,
                0,
                1,
            ))
        })
    }

    fn keys<K: LimitKey>(limiter: &RateLimiter<K>) -> usize {
        limiter.buckets.lock().unwrap().map.len()
    }

    #[test]
    fn the_map_never_holds_more_than_max_clients() {
        // Every client has used a token (none is full again): nothing can be forgotten.
        let limiter = RateLimiter::<IpAddr>::new(10);
        let t0 = Instant::now();
        for ip in clients(MAX_CLIENTS + 50) {
            let _ = limiter.check_at(ip, t0);
        }
        assert!(keys(&limiter) <= MAX_CLIENTS, "{} buckets", keys(&limiter));
    }

    #[test]
    fn when_full_new_clients_share_one_overflow_bucket_until_buckets_refill() {
        let limiter = RateLimiter::<IpAddr>::new(10);
        let t0 = Instant::now();
        for ip in clients(MAX_CLIENTS) {
            assert_eq!(limiter.check_at(ip, t0), Ok(()));
        }
        // The map is full of buckets in use: the next clients share one bucket of 10 tries.
        let newcomers: Vec<IpAddr> = (0..11)
            .map(|i| IpAddr::V4(Ipv4Addr::new(198, 51, 100, i)))
            .collect();
        for ip in &newcomers[..10] {
            assert_eq!(limiter.check_at(*ip, t0), Ok(()));
        }
        assert_eq!(limiter.check_at(newcomers[10], t0), Err(6));
        // A client already known keeps its own bucket meanwhile.
        let known = clients(1).next().unwrap();
        assert_eq!(limiter.check_at(known, t0), Ok(()));
        // A minute on (the fake clock), every bucket is full again and forgotten: the newcomer
        // gets a bucket of its own, and the map holds only the buckets in use.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(limiter.check_at(newcomers[10], later), Ok(()));
        assert!(keys(&limiter) <= 2, "{} buckets", keys(&limiter));
    }

    #[test]
    fn forwarded_for_counts_only_from_trusted_proxies() {
        let trusted = TrustedProxies(vec![
            parse_proxy("10.0.0.0/8").unwrap(),
            parse_proxy("192.0.2.1").unwrap(),
        ]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = ip("192.0.2.1");
        assert_eq!(
            trusted.client(ip("203.0.113.5"), Some("198.51.100.1")),
            ip("203.0.113.5")
        );
        assert_eq!(
            trusted.client(proxy, Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        assert_eq!(
            trusted.client(proxy, Some("6.6.6.6, 198.51.100.1, 10.9.9.9")),
            ip("198.51.100.1")
        );
        assert_eq!(
            trusted.client(proxy, Some("10.1.1.1, 10.2.2.2")),
            ip("10.1.1.1")
        );
        assert_eq!(trusted.client(proxy, Some("198.51.100.1:443")), proxy);
        assert_eq!(trusted.client(proxy, None), proxy);
        assert_eq!(
            trusted.client(ip("::ffff:192.0.2.1"), Some("198.51.100.1")),
            ip("198.51.100.1")
        );
        assert!(parse_proxy("10.0.0.0/33").is_err() && parse_proxy("proxy").is_err());
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
