//! `POST /api/v1/attachments`: a file streamed to disk (never held whole in memory), refused as
//! soon as it is too large (413) or its first bytes are not PDF, JPEG or PNG (415), stored by its
//! SHA-256 under `<data-dir>/attachments/` (temporary file, fsync, rename, fsync of the folder)
//! and recorded before the answer `{sha256, media_type, size}`.

use std::path::{Path, PathBuf};

use api::requests::Uploaded;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use rules::attachment::{check_upload, sniff, AttachmentError, MAX_ATTACHMENT_BYTES};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::domain::clock::now_unix;
use crate::http::error::ApiError;
use crate::http::state::AppState;
use crate::store::StoredAttachment;

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
    let data_dir = state.store.data_dir().to_owned();
    let mut name = [0u8; 16];
    getrandom::fill(&mut name).map_err(ApiError::internal)?;
    let tmp_path = data_dir
        .join("attachments")
        .join("tmp")
        .join(crate::hex(&name));
    let mut file = tokio::fs::File::create(&tmp_path)
        .await
        .map_err(ApiError::internal)?;
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
        if head.len() < 8 {
            let take = (8 - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == 8 && sniff(&head).is_none() {
                return Err(refused(AttachmentError::WrongType));
            }
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(ApiError::internal)?;
    }
    let media_type = check_upload(size, &head).map_err(refused)?;
    file.sync_all().await.map_err(ApiError::internal)?;
    drop(file);

    let sha256 = crate::hex(&hasher.finalize());
    let relative = format!("attachments/{}/{sha256}", &sha256[..2]);
    let target = data_dir.join(&relative);
    tokio::task::spawn_blocking(move || persist(&tmp_path, &target))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    tmp.0 = None;
    state
        .store
        .add_attachment(
            StoredAttachment {
                sha256: sha256.clone(),
                media_type: media_type.mime().to_owned(),
                size,
                path: relative,
            },
            now_unix(),
        )
        .await?;
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

/// Moves a synced file into place and syncs the folder, so the name survives a crash too.
fn persist(tmp: &Path, target: &Path) -> std::io::Result<()> {
    let folder = target.parent().expect("attachments/<xx>/");
    std::fs::create_dir_all(folder)?;
    std::fs::rename(tmp, target)?;
    std::fs::File::open(folder)?.sync_all()
}
