//! Signing the applicant in (issue 12, the app's side; `docs/signin.md`): the person session as
//! this page knows it ([`Session`], asked of `GET /api/v1/signin/me` when the forms open), the
//! sign-in page (`page`: OpenID providers as plain links, the roster's code by SMS), "my
//! requests" from the server (`mine`), the signed-in identity shown read-only on the forms
//! (`identity`); `model` is the plain data, `client` the calls, `texts` their words. The drafts,
//! the pre-check and the tools never need it; sending, the server's list and acting on a request
//! do.

pub mod client;
pub mod identity;
pub mod mine;
pub mod model;
pub mod page;
pub mod texts;

use leptos::prelude::*;
use leptos::task::spawn_local;

use api::signin::PersonSession;
use model::{Failure, SessionState};

/// The person session as this page knows it, shared by every page of the forms.
#[derive(Clone, Copy)]
pub struct Session {
    pub state: RwSignal<SessionState>,
    /// A `me` call is on its way (the outbox does not ask again meanwhile).
    asking: StoredValue<bool>,
    /// The first `me` call has come back (answered, or not reachable): until then the fields the
    /// identity may fill are not drawn, so that one never turns read-only under the typing.
    pub settled: RwSignal<bool>,
}

impl Session {
    /// Provides the session and asks the server whether there is one.
    pub fn provide() -> Session {
        let session = Session {
            state: RwSignal::new(SessionState::Unknown),
            asking: StoredValue::new(false),
            settled: RwSignal::new(false),
        };
        provide_context(session);
        spawn_local(async move {
            session.check().await;
        });
        session
    }

    pub fn get() -> Session {
        expect_context::<Session>()
    }

    /// Asks `GET /api/v1/signin/me` and takes its answer in (no answer: left as it was).
    pub async fn check(self) {
        self.asking.set_value(true);
        let answer = client::me().await;
        self.asking.set_value(false);
        match answer {
            Ok(s) => self.signed_in(s),
            Err(Failure::SignedOut { .. }) => self.ended(),
            Err(_) => {}
        }
        if !self.settled.get_untracked() {
            self.settled.set(true);
        }
    }

    /// Whether the session is not known yet and no one is asking the server.
    pub fn unknown(self) -> bool {
        !self.asking.get_value() && self.state.with_untracked(|s| *s == SessionState::Unknown)
    }

    /// A session was opened (or read back).
    pub fn signed_in(self, session: PersonSession) {
        self.state.set(SessionState::SignedIn(Box::new(session)));
    }

    /// The server said there is no session (401): ended, when this page had one.
    pub fn ended(self) {
        let next = self.state.with_untracked(SessionState::after_401);
        self.state.set(next);
    }

    /// The CSRF token of the live session, untracked.
    pub fn csrf(self) -> Option<String> {
        self.state.with_untracked(|s| s.csrf().map(str::to_owned))
    }

    /// Whether the page has a session (tracked).
    pub fn is_signed_in(self) -> bool {
        self.state.with(|s| matches!(s, SessionState::SignedIn(_)))
    }

    /// [`Session::is_signed_in`], untracked.
    pub fn is_signed_in_untracked(self) -> bool {
        self.state
            .with_untracked(|s| matches!(s, SessionState::SignedIn(_)))
    }

    /// Signs out on the server (`POST /api/v1/signin/logout`): where to end the provider's
    /// session too, if anywhere.
    pub async fn sign_out(self) -> Option<String> {
        let csrf = self.csrf()?;
        let out = client::logout(&csrf).await;
        match out {
            Ok(out) => {
                self.state.set(SessionState::SignedOut);
                out.end_session_url
            }
            Err(Failure::SignedOut { .. }) => {
                self.state.set(SessionState::SignedOut);
                None
            }
            Err(_) => None,
        }
    }
}
