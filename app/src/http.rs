//! One `fetch` for the forms bundle's calls to the API (browser only): method, URL, body and
//! headers in; status, body text and `Retry-After` out, or `Err` when the server could not be
//! reached.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// An HTTP answer: status, body, `Retry-After`.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub retry_after: Option<String>,
}

pub async fn fetch(
    method: &str,
    url: &str,
    body: Option<&wasm_bindgen::JsValue>,
    headers: &[(&str, &str)],
) -> Result<Reply, String> {
    let window = web_sys::window().ok_or("no window")?;
    let h = web_sys::Headers::new().map_err(|e| format!("{e:?}"))?;
    for (k, v) in headers {
        h.set(k, v).map_err(|e| format!("{e:?}"))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&h);
    if let Some(body) = body {
        init.set_body(body);
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
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
