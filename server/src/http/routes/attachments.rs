//! `POST /api/v1/attachments`: a signed-in applicant's file (the person session with its CSRF
//! token, or the applicant session of their request), within their daily quota (429), streamed
//! to disk (never held whole in memory), refused as soon as it is too large (413) or its first
//! bytes are not PDF, JPEG or PNG (415), or when the disk is too full (507, before writing or on
//! a failed write), written to a synced temporary file under `<data-dir>/attachments/tmp/`, then
//! kept by its SHA-256 (`store::files`: renamed into `<data-dir>/attachments/` on SQLite, its
//! bytes inserted into the database on PostgreSQL; never half a file) and recorded with its
//! upload before the answer `{sha256, media_type, size}`.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use api::requests::Uploaded;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use rules::attachment::{check_upload, sniff, AttachmentError, MAX_ATTACHMENT_BYTES};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::domain::clock::now_unix;
use crate::domain::roster::Person;
use crate::http::applicant::{applicant_request, Applicant};
use crate::http::error::ApiError;
use crate::http::person::person_token;
use crate::http::state::{AppState, UploadLimits};
use crate::store::uploads::KEEP_UNREFERENCED_SECONDS;
use crate::store::{files, StoredAttachment};

/// Who uploads: the signed-in person (`pishkhan_person` and its CSRF token), or, with
/// `Authorization: Bearer` and no person cookie, the applicant of a request (a correction's
/// files). `owner` is an HMAC of their national ID under the server's key: their quota's key.
pub struct Uploader {
    owner: String,
}

impl FromRequestParts<AppState> for Uploader {
    type Rejection = ApiError;

    /// 401 with neither live session; 403 with the person session but not its CSRF token.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Uploader, ApiError> {
        let national_id =
            if person_token(parts).is_none() && parts.headers.contains_key(AUTHORIZATION) {
                let applicant = Applicant::from_request_parts(parts, state).await?;
                applicant_request(state, &applicant).await?.national_id
            } else {
                Person::from_request_parts(parts, state).await?.national_id
            };
        Ok(Uploader {
            owner: state.secret.mac("upload-owner", "", &national_id),
        })
    }
}

/// 429 `UPLOAD_QUOTA` on the field `file` (the last 24 hours' files or bytes used up), to try
/// again in an hour.
fn over_quota(limits: &UploadLimits, files: bool) -> ApiError {
    let (en, fa) = if files {
        (
            format!(
                "file: at most {} files may be uploaded in 24 hours; try again later.",
                limits.files_per_day
            ),
            format!(
                "file: در ۲۴ ساعت حداکثر {} فایل می‌توان بارگذاری کرد؛ بعداً دوباره تلاش کنید.",
                limits.files_per_day
            ),
        )
    } else {
        let mib = limits.bytes_per_day / (1024 * 1024);
        (
            format!("file: at most {mib} MiB may be uploaded in 24 hours; try again later."),
            format!(
                "file: در ۲۴ ساعت حداکثر {mib} مگابایت می‌توان بارگذاری کرد؛ بعداً دوباره تلاش کنید."
            ),
        )
    };
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "UPLOAD_QUOTA",
        en,
        crate::fa_digits(&fa),
    )
    .with_field("file")
    .retry_after(3600)
}

/// 507 `INSUFFICIENT_STORAGE` on the field `file`.
fn disk_full() -> ApiError {
    ApiError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "INSUFFICIENT_STORAGE",
        "file: the server has no room for files right now; try again later.",
        "file: فعلاً جایی برای فایل در سرور نیست؛ بعداً دوباره تلاش کنید.",
    )
    .with_field("file")
}

/// A failed write: 507 when the disk (or the process's file size limit, or on PostgreSQL the
/// database's disk) is full, else a fault.
fn write_failed(e: std::io::Error) -> ApiError {
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::FileTooLarge | ErrorKind::QuotaExceeded => disk_full(),
        _ => ApiError::internal(e),
    }
}

/// 507 unless the data directory's disk has `needed` bytes free for the server's user.
fn check_free_space(data_dir: &Path, needed: u64) -> Result<(), ApiError> {
    let fs =
        rustix::fs::statvfs(data_dir).map_err(|e| ApiError::internal(std::io::Error::from(e)))?;
    let free = fs.f_bavail.saturating_mul(fs.f_frsize);
    if free < needed {
        return Err(disk_full());
    }
    Ok(())
}

fn refused(e: AttachmentError) -> ApiError {
    let (status, code) = match e {
        AttachmentError::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "EMPTY_FILE"),
        AttachmentError::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "FILE_TOO_LARGE"),
        AttachmentError::WrongType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_FILE_TYPE"),
    };
    ApiError::new(status, code, e.message_en(), e.message_fa()).with_field("file")
}

/// A file removed when dropped, unless it was moved into place.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `POST /api/v1/attachments`.
pub async fn upload(
    State(state): State<AppState>,
    who: Uploader,
    headers: HeaderMap,
    mut body: Body,
) -> Result<Response, ApiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(size) = declared.filter(|&s| s > MAX_ATTACHMENT_BYTES) {
        return Err(refused(AttachmentError::TooLarge { size }));
    }
    let now = now_unix();
    let limits = state.uploads;
    let (files, bytes) = state
        .store
        .upload_usage(&who.owner, now - KEEP_UNREFERENCED_SECONDS)
        .await?;
    if files >= limits.files_per_day {
        return Err(over_quota(&limits, true));
    }
    // The bytes this upload may still have.
    let room = limits.bytes_per_day.saturating_sub(bytes);
    if room == 0 || declared.is_some_and(|size| size > room) {
        return Err(over_quota(&limits, false));
    }
    let data_dir = state.store.data_dir().to_owned();
    check_free_space(
        &data_dir,
        limits
            .min_free_disk
            .saturating_add(declared.unwrap_or(MAX_ATTACHMENT_BYTES)),
    )?;
    let mut name = [0u8; 16];
    getrandom::fill(&mut name).map_err(ApiError::internal)?;
    let tmp_path = data_dir
        .join("attachments")
        .join("tmp")
        .join(crate::hex(&name));
    let mut file = tokio::fs::File::create(&tmp_path)
        .await
        .map_err(write_failed)?;
    let mut tmp = TempFile(Some(tmp_path.clone()));

    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut head = Vec::with_capacity(8);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "the upload was interrupted.",
                "بارگذاری نیمه‌کاره ماند.",
            )
        })?;
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        size += chunk.len() as u64;
        if size > MAX_ATTACHMENT_BYTES {
            return Err(refused(AttachmentError::TooLarge { size }));
        }
        if size > room {
            return Err(over_quota(&limits, false));
        }
        if head.len() < 8 {
            let take = (8 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == 8 && sniff(&head).is_none() {
                return Err(refused(AttachmentError::WrongType));
            }
        }
        hasher.update(&chunk);
        if let Err(e) = file.write_all(&chunk).await {
            // The rest of the body (at most the size limit) is read and dropped, so that the
            // client, still sending, gets the answer rather than a connection cut under it.
            let mut rest = size;
            while let Some(Ok(frame)) = body.frame().await {
                rest += frame.data_ref().map_or(0, |d| d.len() as u64);
                if rest > MAX_ATTACHMENT_BYTES {
                    break;
                }
            }
            return Err(write_failed(e));
        }
    }
    let media_type = check_upload(size, &head).map_err(refused)?;
    file.flush().await.map_err(write_failed)?;
    file.sync_all().await.map_err(write_failed)?;
    drop(file);

    let sha256 = crate::hex(&hasher.finalize());
    let file = StoredAttachment {
        sha256: sha256.clone(),
        media_type: media_type.mime().to_owned(),
        size,
        path: files::path_of(&sha256),
    };
    state
        .store
        .keep_upload(&tmp_path, file, &who.owner, now)
        .await
        .map_err(write_failed)?;
    tmp.0 = None;
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            sha256,
            media_type,
            size,
        }),
    )
        .into_response())
}
