//! Shared by the tests of the requests API: valid submissions of each kind, a client that posts
//! them as a signed-in person with an idempotency key, fresh keys, and valid national IDs.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::PersonSession;

/// A client with a short timeout, so a killed server shows as an error, not a hang.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// A client as [`client`] that does not follow redirects (the test reads each `Location`).
pub fn client_without_redirects() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A fresh random UUID (version 4) for the `Idempotency-Key` header.
pub fn new_key() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).unwrap();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A valid national ID made from a nine-digit number (its check digit computed).
pub fn national_id(n: u32) -> String {
    let body = format!("{:09}", n % 1_000_000_000);
    let sum: u32 = body
        .bytes()
        .zip((2..=10).rev())
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let r = sum % 11;
    let check = if r < 2 { r } else { 11 - r };
    let id = format!("{body}{check}");
    if id.bytes().all(|b| b == id.as_bytes()[0]) {
        national_id(n + 1)
    } else {
        id
    }
}

/// A clearance request of the student with national ID number `n`.
pub fn clearance(n: u32) -> Value {
    json!({"kind": "clearance", "national_id": national_id(n),
           "answers": {"reason": "withdrawal", "evening_course": n.is_multiple_of(2)}})
}

/// An exemption request (with a justification, so it is accepted whatever today's pre-check
/// says).
pub fn exemption() -> Value {
    json!({"kind": "exemption", "answers": {
        "has_sakha_code": true, "national_id": "۰۰۸۴۵۷۵۹۴۸", "mobile": "+989121234567",
        "sms_opt_in": true, "residence_province": "تهران", "residence_city": "تهران",
        "residence_address": "خیابان انقلاب", "previous_level": "diploma",
        "previous_graduation": "1403-04-31", "university": "دانشگاه تهران",
        "level": "bachelor_continuous", "study_start": "1403-07-01", "field_of_study": "ریاضی",
        "institution_approved": true, "unjustified_absence": false,
        "justification": "بیماری طولانی؛ گواهی پزشکی پیوست است."}})
}

/// A withdrawal request whose form is the uploaded file `form` (`{sha256, media_type, size}`).
pub fn withdrawal(form: &Value) -> Value {
    json!({"kind": "withdrawal", "national_id": national_id(7), "answers": {
        "student_number": "۹۸۱۲۳۴۵۶", "faculty": "فنی", "level": "bachelor_continuous",
        "reason": "کار", "early_withdrawal": false, "student_card": "handed_in",
        "withdrawal_form": {"file_name": "form.pdf", "media_type": form["media_type"],
                            "size": form["size"], "sha256": form["sha256"]}}})
}

/// The withdrawal of the person with `national_id(n)` at `faculty`, its form uploaded by them
/// (signed in for it on the data directory's database).
pub fn withdrawal_of(
    client: &reqwest::blocking::Client,
    base: &str,
    data_dir: &std::path::Path,
    n: u32,
    faculty: &str,
) -> Value {
    let uploader = crate::common::sign_in(
        data_dir,
        &crate::common::Person {
            national_id: national_id(n),
            ..Default::default()
        },
    );
    let form = upload(client, base, &uploader, b"%PDF-1.4\nform".to_vec());
    assert_eq!(form.status, 201, "{}", form.body);
    let mut body = withdrawal(&form.body);
    body["national_id"] = json!(national_id(n));
    body["mobile"] = json!("09351234567");
    body["answers"]["faculty"] = json!(faculty);
    body
}

/// Status, headers and JSON body of an answer.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }
}

/// Reads an answer (a body that is not JSON reads as `null`).
pub fn answer(response: reqwest::blocking::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

/// `POST /api/v1/requests` as this person (the cookie and CSRF token of their session; nobody
/// when `None`), with this key (none when `None`) and this body.
pub fn submit(
    client: &reqwest::blocking::Client,
    base: &str,
    who: Option<&PersonSession>,
    key: Option<&str>,
    body: &str,
) -> reqwest::Result<Answer> {
    let mut request = client
        .post(format!("{base}/api/v1/requests"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(who) = who {
        request = request
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf);
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.send().map(answer)
}

/// Files this body as this signed-in person with a fresh key; it must be accepted (201).
pub fn filed(
    client: &reqwest::blocking::Client,
    base: &str,
    who: &PersonSession,
    body: &Value,
) -> Answer {
    let filed = submit(client, base, Some(who), Some(&new_key()), &body.to_string()).unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    filed
}

/// `POST <path>` with a JSON body.
pub fn post_json(
    client: &reqwest::blocking::Client,
    base: &str,
    path: &str,
    body: &Value,
) -> Answer {
    answer(
        client
            .post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap(),
    )
}

/// Signs in as the applicant of a request by its tracking code and the person's national ID:
/// asks for a one-time code, then opens a session with what `otp` reads from the SMS log
/// (given how many lines it had before the ask). The session token.
pub fn applicant_token(
    client: &reqwest::blocking::Client,
    base: &str,
    data_dir: &std::path::Path,
    code: &str,
    id: &str,
    otp: impl FnOnce(usize) -> String,
) -> String {
    let before = crate::common::sms_lines(data_dir).len();
    let sent = post_json(
        client,
        base,
        "/api/v1/applicant/code",
        &json!({"tracking_code": code, "national_id": id}),
    );
    assert_eq!(sent.status, 202, "{}", sent.body);
    let session = post_json(
        client,
        base,
        "/api/v1/applicant/session",
        &json!({"tracking_code": code, "national_id": id, "code": otp(before)}),
    );
    assert_eq!(session.status, 200, "{}", session.body);
    session.body["token"].as_str().unwrap().to_owned()
}

/// `POST /api/v1/attachments` with these bytes, as this signed-in person (their session's
/// cookie and CSRF token).
pub fn upload(
    client: &reqwest::blocking::Client,
    base: &str,
    who: &PersonSession,
    bytes: Vec<u8>,
) -> Answer {
    upload_with(
        client,
        base,
        &[("cookie", &who.cookie), ("x-csrf-token", &who.csrf)],
        bytes,
    )
}

/// `POST /api/v1/attachments` with these bytes and these headers (none: anonymous).
pub fn upload_with(
    client: &reqwest::blocking::Client,
    base: &str,
    headers: &[(&str, &str)],
    bytes: Vec<u8>,
) -> Answer {
    let mut request = client
        .post(format!("{base}/api/v1/attachments"))
        .header("content-type", "application/octet-stream")
        .body(bytes);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(request.send().unwrap())
}

/// `POST /api/v1/requests/lookup`.
pub fn lookup(
    client: &reqwest::blocking::Client,
    base: &str,
    code: &str,
    national_id: &str,
) -> Answer {
    post_json(
        client,
        base,
        "/api/v1/requests/lookup",
        &json!({"tracking_code": code, "national_id": national_id}),
    )
}
