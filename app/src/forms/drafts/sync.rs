//! Cross-tab announcements of saved drafts over the BroadcastChannel `pishkhan-drafts`: a tab that
//! saves a draft announces its id and revision; other tabs listening reload it or warn.

use serde::{Deserialize, Serialize};

/// The channel's name.
pub const CHANNEL: &str = "pishkhan-drafts";

/// What is sent: a draft was stored at this revision.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Announcement {
    pub draft_id: String,
    pub revision: u64,
}

/// The message text for an announcement.
pub fn encode(draft_id: &str, revision: u64) -> String {
    serde_json::to_string(&Announcement {
        draft_id: draft_id.to_owned(),
        revision,
    })
    .expect("plain data")
}

/// An announcement read back; anything else on the channel is ignored.
pub fn decode(text: &str) -> Option<Announcement> {
    serde_json::from_str(text).ok()
}

#[cfg(target_arch = "wasm32")]
pub use browser::{announce, listen, Listener};

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{BroadcastChannel, MessageEvent};

    use super::{decode, encode, CHANNEL};
    use crate::forms::drafts::StoreError;

    fn channel() -> Result<BroadcastChannel, StoreError> {
        BroadcastChannel::new(CHANNEL).map_err(|e| StoreError::Other(format!("{e:?}")))
    }

    /// Tells the other tabs (and other listeners of this page) that `draft_id` was stored at
    /// `revision`.
    pub fn announce(draft_id: &str, revision: u64) -> Result<(), StoreError> {
        let channel = channel()?;
        let sent = channel.post_message(&JsValue::from_str(&encode(draft_id, revision)));
        channel.close();
        sent.map_err(|e| StoreError::Other(format!("{e:?}")))
    }

    /// Calls `callback(draft_id, revision)` for every announcement until the returned
    /// [`Listener`] is dropped, which closes the channel.
    pub fn listen(callback: impl FnMut(String, u64) + 'static) -> Result<Listener, StoreError> {
        let channel = channel()?;
        let mut callback = callback;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(a) = event.data().as_string().as_deref().and_then(decode) {
                callback(a.draft_id, a.revision);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Listener {
            channel,
            _on_message: on_message,
        })
    }

    /// An open subscription; dropping it stops the callback and closes the channel.
    pub struct Listener {
        channel: BroadcastChannel,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
    }

    impl Drop for Listener {
        fn drop(&mut self) {
            self.channel.set_onmessage(None);
            self.channel.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_strangers_are_ignored() {
        assert_eq!(
            decode(&encode("d-1", 4)),
            Some(Announcement {
                draft_id: "d-1".into(),
                revision: 4
            })
        );
        assert_eq!(decode("hello"), None);
        assert_eq!(decode(r#"{"draft_id": 3}"#), None);
    }
}
