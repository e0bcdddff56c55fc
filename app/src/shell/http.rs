//! The one HTTP client of every bundle: a same-origin `fetch` (method, URL, body and headers in;
//! status, body text and `Retry-After` out, or `Err` when the server could not be reached — always
//! outside a browser), with the caller's credentials opted in ([`Auth`]: a cookie session's CSRF
//! token — the staff's, the signed-in person's — or the applicant's bearer token), and the
//! server's error answers read in the one shape of docs/api.md ([`server_errors`]).

use serde_json::Value;

/// The person session (docs/signin.md): who is signed in, with its CSRF token; and signing out.
/// The forms sign in and out; the kiosk's wipe signs out.
pub const SIGNIN_ME: &str = "/api/v1/signin/me";
pub const SIGNIN_LOGOUT: &str = "/api/v1/signin/logout";

/// An HTTP answer: status, body, `Retry-After`.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

/// What a call carries besides the session cookie the browser sends anyway.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Auth<'a> {
    /// Nothing (anonymous calls: lookups, one-time codes).
    None,
    /// A cookie session's CSRF token (the staff's, or the signed-in person's), sent as
    /// `X-CSRF-Token` on every call that is not a `GET`.
    Csrf(&'a str),
    /// An applicant session's token, sent as `Authorization: Bearer`.
    Bearer(&'a str),
}

impl Auth<'_> {
    /// The header this credential adds to a `method` call, if any.
    pub fn header(&self, method: &str) -> Option<(&'static str, String)> {
        match *self {
            Auth::None => None,
            Auth::Csrf(_) if method == "GET" => None,
            Auth::Csrf(token) => Some(("x-csrf-token", token.to_owned())),
            Auth::Bearer(token) => Some(("authorization", format!("Bearer {token}"))),
        }
    }
}

/// `method url` with `body`, these `headers` and the credential of `auth`. Outside the browser
/// there is no network (native unit tests only read and write the data).
pub async fn fetch(
    method: &str,
    url: &str,
    body: Option<&wasm_bindgen::JsValue>,
    headers: &[(&str, &str)],
    auth: Auth<'_>,
) -> Result<Reply, String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (method, url, body, headers, auth);
        Err("network".to_owned())
    }
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window().ok_or("no window")?;
        let h = web_sys::Headers::new().map_err(|e| format!("{e:?}"))?;
        for (k, v) in headers {
            h.set(k, v).map_err(|e| format!("{e:?}"))?;
        }
        if let Some((k, v)) = auth.header(method) {
            h.set(k, &v).map_err(|e| format!("{e:?}"))?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_headers(&h);
        if let Some(body) = body {
            init.set_body(body);
        }
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(|_| "network".to_owned())?
                .unchecked_into();
        let text = JsFuture::from(response.text().map_err(|e| format!("{e:?}"))?)
            .await
            .map_err(|_| "network".to_owned())?
            .as_string()
            .unwrap_or_default();
        Ok(Reply {
            status: response.status(),
            body: text,
            retry_after: response.headers().get("retry-after").ok().flatten(),
        })
    }
}

/// A field the server refused, with its messages: the API's own [`api::FieldError`].
pub use api::FieldError as ServerError;

/// The fields the server's error body names (`error.errors`, else `error` itself).
pub fn server_errors(json: &Value, status: u16) -> Vec<ServerError> {
    let error = &json["error"];
    let one = |e: &Value| ServerError {
        field: e["field"].as_str().map(str::to_owned),
        message_fa: e["message_fa"].as_str().unwrap_or_default().to_owned(),
        message_en: e["message_en"].as_str().unwrap_or_default().to_owned(),
    };
    match error["errors"].as_array() {
        Some(all) if !all.is_empty() => all.iter().map(one).collect(),
        _ if error.is_object() => vec![one(error)],
        _ => vec![ServerError {
            field: None,
            message_fa: format!("پاسخ نامنتظر از سرور (HTTP {status})."),
            message_en: format!("Unexpected answer from the server (HTTP {status})."),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_opted_in() {
        assert_eq!(Auth::None.header("POST"), None);
        assert_eq!(Auth::Csrf("t").header("GET"), None);
        assert_eq!(
            Auth::Csrf("t").header("POST"),
            Some(("x-csrf-token", "t".to_owned()))
        );
        assert_eq!(
            Auth::Bearer("t").header("GET"),
            Some(("authorization", "Bearer t".to_owned()))
        );
    }
}
