//! The network between the app's sync engine and the server, failing the
//! way rural links do, for `tests/sync_network.rs` and the 2G benchmark
//! (`bench/benches/sync.rs` includes this file).
//!
//! ```text
//! device ──► tap ──► noxious proxy (toxics) ──► server
//! ```
//!
//! noxious is Toxiproxy's Rust port, embedded as a library: latency,
//! bandwidth, timeout, slicer and limit_data toxics, each in one direction
//! (`Upstream` is the device's requests, `Downstream` the server's
//! answers). It has no `reset_peer` toxic and keeps no byte counts, so the
//! tap in front of it does those two things and nothing else: it resets
//! the device's connection (RST, through a zero linger), half-closes it
//! (FIN towards the device, its sending side left open) and counts the
//! bytes each way.
//!
//! noxious 1.0.4 has four bugs that shape how it is driven here:
//! - changing toxics on a live connection swaps its two directions (the
//!   links are rebuilt with the client's and the server's ends crossed)
//!   and drops the chunks then inside the old toxics. So toxics are set
//!   in the proxy's state, where each new connection takes them from, and
//!   a connection keeps the toxics it was opened with: the tests open new
//!   connections (a new client, or a retry after a failure) to meet the
//!   new conditions. The tap's faults reach live connections at once.
//! - its bandwidth toxic sends 100 bytes per 100 ms whatever the rate once
//!   a chunk is longer than `rate × 100` bytes, then panics subtracting
//!   more time than it computed; a slicer cutting chunks to `rate × 100`
//!   bytes in front of it keeps it on its exact path ([`Link::add`] puts
//!   one before every bandwidth toxic).
//! - each toxic delays chunk after chunk rather than from each chunk's
//!   arrival, so latency goes before bandwidth (which cuts chunks small).
//! - latency subtracts its jitter unsigned, so a jitter above the latency
//!   panics (debug builds): keep jitter <= latency.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use noxious::proxy::{ProxyConfig, ProxyRunner, Runner, Toxics};
use noxious::signal::{Close, Stop, Stopper};
use noxious::state::ProxyState;
use noxious::toxic::{Toxic, ToxicEvent, ToxicEventResult};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use noxious::toxic::StreamDirection as Direction;
pub use noxious::toxic::ToxicKind;

pub struct Link {
    /// `http://127.0.0.1:PORT`: where the device sends its requests.
    pub base: String,
    proxy: Arc<ProxyState>,
    // The proxy takes toxic changes on this channel's other end; nothing
    // is sent (see the notes above), it is only kept open.
    _toxic_events: bmrng::RequestSender<ToxicEvent, ToxicEventResult>,
    next_name: AtomicU64,
    tap: Arc<Tap>,
    stopper: Stopper,
    accepting: tokio::task::JoinHandle<()>,
}

impl Drop for Link {
    fn drop(&mut self) {
        self.stopper.clone().stop();
        self.accepting.abort();
    }
}

impl Link {
    /// A link to the server at `upstream` (`host:port`). `seed` makes the
    /// toxics' random choices (jitter, slice sizes) repeatable.
    pub async fn start(upstream: &str, seed: u64) -> Link {
        // noxious binds the address it is given and does not say which port
        // it got: take a free one first, and again if another process took
        // it in between (loopback, test-only).
        let mut tries = 0;
        let (proxy_addr, listener, info) = loop {
            let proxy_addr = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("a free port");
            let config = ProxyConfig {
                name: "vaora".to_owned(),
                listen: proxy_addr.to_string(),
                upstream: upstream.to_owned(),
                enabled: true,
                rand_seed: Some(seed),
            };
            match ProxyRunner::initialize_proxy::<noxious::socket::TcpListener>(
                config,
                Toxics::empty(),
            )
            .await
            {
                Ok((listener, info)) => break (proxy_addr, listener, info),
                Err(_) if tries < 5 => tries += 1,
                Err(e) => panic!("noxious proxy: {e}"),
            }
        };
        let proxy = info.state.clone();
        let (toxic_events, receiver) = bmrng::channel(1);
        let (stop, stopper) = Stop::new();
        let (_closed, closer) = Close::new();
        tokio::spawn(ProxyRunner::run_proxy(
            listener, info, receiver, stop, closer,
        ));

        let tap = Arc::new(Tap::default());
        let front = TcpListener::bind("127.0.0.1:0").await.expect("tap port");
        let base = format!("http://{}", front.local_addr().expect("tap address"));
        let accepting = tokio::spawn(accept(front, proxy_addr, tap.clone()));
        Link {
            base,
            proxy,
            _toxic_events: toxic_events,
            next_name: AtomicU64::new(0),
            tap,
            stopper,
            accepting,
        }
    }

    /// Puts a toxic on every new connection, after those already there
    /// in `direction`.
    pub fn add(&self, direction: Direction, kind: ToxicKind) {
        let kinds = match kind {
            ToxicKind::Bandwidth { rate } if rate > 0 => vec![
                ToxicKind::Slicer {
                    average_size: rate * 100,
                    size_variation: 0,
                    delay: 0,
                },
                kind,
            ],
            _ => vec![kind],
        };
        let mut state = self.proxy.lock();
        for kind in kinds {
            let toxic = Toxic {
                kind,
                name: format!("t{}", self.next_name.fetch_add(1, Ordering::Relaxed)),
                toxicity: 1.0,
                direction,
            };
            match direction {
                Direction::Upstream => state.toxics.upstream.push(toxic),
                Direction::Downstream => state.toxics.downstream.push(toxic),
            }
        }
    }

    /// A clean link again for new connections; the tap's faults not yet
    /// fired are disarmed.
    pub fn clear(&self) {
        self.tap.armed.lock().unwrap().clear();
        self.proxy.lock().toxics = Toxics::empty();
    }

    /// The next connection to carry `after` more bytes in `direction`
    /// is reset (RST) at that byte: the device's request or the server's
    /// answer cut dead.
    pub fn reset_after(&self, direction: Direction, after: u64) {
        self.tap.arm(direction, after, Action::Reset);
    }

    /// The next answer to carry `after` more bytes is cut there with a FIN
    /// towards the device, whose own side stays open: a half-closed stream.
    pub fn half_close_after(&self, after: u64) {
        self.tap
            .arm(Direction::Downstream, after, Action::HalfClose);
    }

    /// Bytes the device sent and received so far (TCP payload: what an
    /// operator bills, less the TCP/IP headers).
    pub fn bytes(&self) -> (u64, u64) {
        (
            self.tap.up.load(Ordering::Relaxed),
            self.tap.down.load(Ordering::Relaxed),
        )
    }
}

#[derive(Default)]
struct Tap {
    up: AtomicU64,
    down: AtomicU64,
    armed: Mutex<Vec<Armed>>,
}

struct Armed {
    direction: Direction,
    remaining: u64,
    action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Reset,
    HalfClose,
}

impl Tap {
    fn arm(&self, direction: Direction, after: u64, action: Action) {
        self.armed.lock().unwrap().push(Armed {
            direction,
            remaining: after,
            action,
        });
    }

    /// How much of a `len`-byte chunk going `direction` passes, and what
    /// happens after it, if an armed fault's byte is in it (then disarmed).
    fn pass(&self, direction: Direction, len: usize) -> (usize, Option<Action>) {
        let mut armed = self.armed.lock().unwrap();
        let Some(at) = armed.iter().position(|a| a.direction == direction) else {
            return (len, None);
        };
        let remaining = usize::try_from(armed[at].remaining).unwrap_or(usize::MAX);
        if remaining >= len {
            armed[at].remaining -= len as u64;
            return (len, None);
        }
        (remaining, Some(armed.remove(at).action))
    }

    fn count(&self, direction: Direction, n: usize) {
        let counter = match direction {
            Direction::Upstream => &self.up,
            Direction::Downstream => &self.down,
        };
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
}

async fn accept(front: TcpListener, proxy: SocketAddr, tap: Arc<Tap>) {
    while let Ok((device, _)) = front.accept().await {
        tokio::spawn(relay(device, proxy, tap.clone()));
    }
}

/// One device connection through the tap. Either direction failing ends
/// both, dropping the device's socket (with an RST if the linger was
/// zeroed for a reset).
async fn relay(device: TcpStream, proxy: SocketAddr, tap: Arc<Tap>) {
    let Ok(proxy) = TcpStream::connect(proxy).await else {
        return;
    };
    let _ = (device.set_nodelay(true), proxy.set_nodelay(true));
    let (device_read, device_write) = device.into_split();
    let (proxy_read, proxy_write) = proxy.into_split();
    let _ = tokio::try_join!(
        pipe(device_read, proxy_write, Direction::Upstream, &tap),
        pipe(proxy_read, device_write, Direction::Downstream, &tap),
    );
}

/// Copies one direction, counting, until end of stream or an armed fault.
/// One of `from` and `to` is a half of the device's socket, which a reset
/// needs: its linger zeroed, then dropped.
async fn pipe<R, W>(mut from: R, mut to: W, direction: Direction, tap: &Tap) -> io::Result<()>
where
    R: AsyncRead + Unpin + AsRef<TcpStream>,
    W: AsyncWrite + Unpin + AsRef<TcpStream>,
{
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = from.read(&mut buf).await?;
        if n == 0 {
            // End of stream: pass the FIN on.
            return to.shutdown().await;
        }
        let (pass, action) = tap.pass(direction, n);
        to.write_all(&buf[..pass]).await?;
        tap.count(direction, pass);
        match action {
            None => {}
            Some(Action::Reset) => {
                let device = match direction {
                    Direction::Upstream => from.as_ref(),
                    Direction::Downstream => to.as_ref(),
                };
                device.set_zero_linger()?;
                return Err(io::Error::new(io::ErrorKind::ConnectionReset, "tap reset"));
            }
            Some(Action::HalfClose) => {
                to.shutdown().await?;
                // Whatever else the server says goes nowhere; the device may
                // still send, upstream carries on.
                while from.read(&mut buf).await? > 0 {}
                return Ok(());
            }
        }
    }
}
