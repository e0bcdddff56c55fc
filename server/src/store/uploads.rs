//! Who uploaded what and when (`uploads`): a person's uploads of the last day (their quota), and
//! the sweep that removes the files no request references 24 hours after their last upload —
//! rows first, in one transaction (on PostgreSQL the bytes with them), then the files of SQLite's
//! disk — while no upload is being recorded.

use super::{Store, StoreResult};

/// How long a file no request references is kept after its last upload: a day.
pub const KEEP_UNREFERENCED_SECONDS: i64 = 24 * 3600;

impl Store {
    /// The uploads by `owner` since `since`: how many, and their bytes.
    pub async fn upload_usage(&self, owner: &str, since: i64) -> StoreResult<(u64, u64)> {
        let (files, bytes): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM uploads \
             WHERE owner = $1 AND created_at >= $2",
        )
        .bind(owner)
        .bind(since)
        .fetch_one(self.pool())
        .await?;
        Ok((files as u64, bytes as u64))
    }

    /// Removes, as of `now`, every uploaded file no request references whose last upload is
    /// [`KEEP_UNREFERENCED_SECONDS`] old (its row and its bytes), and the uploads older than that
    /// (they no longer count against a quota). How many files went.
    pub async fn sweep_uploads(&self, now: i64) -> StoreResult<usize> {
        let _alone = self.files.write().await;
        let before = now - KEEP_UNREFERENCED_SECONDS;
        let (_turn, mut tx) = self.begin_write().await?;
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT sha256 FROM attachments a WHERE a.created_at < $1 \
             AND NOT EXISTS (SELECT 1 FROM request_attachments r WHERE r.sha256 = a.sha256) \
             AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = a.sha256 \
                             AND u.created_at >= $2)",
        )
        .bind(before)
        .bind(before)
        .fetch_all(&mut *tx)
        .await?;
        let mut gone = Vec::with_capacity(due.len());
        for sha256 in &due {
            // Its age checked again: on PostgreSQL an instance that recorded the same file since
            // the look-up moved `created_at` (`Store::keep_upload`), and the file stays. The
            // bytes in `attachment_blobs` go with the row (ON DELETE CASCADE).
            let path: Option<String> = sqlx::query_scalar(
                "DELETE FROM attachments WHERE sha256 = $1 AND created_at < $2 RETURNING path",
            )
            .bind(sha256)
            .bind(before)
            .fetch_optional(&mut *tx)
            .await?;
            gone.extend(path);
        }
        sqlx::query("DELETE FROM uploads WHERE created_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // A crash here leaves files without rows on SQLite's disk: unreachable, and replaced by
        // the same content's next upload.
        for path in &gone {
            if let Err(e) = self.remove_unrecorded(path) {
                tracing::warn!(error = %e, "cannot remove an unreferenced upload");
            }
        }
        Ok(gone.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoredAttachment;

    /// A file on disk and its record, uploaded at `at`.
    async fn uploaded(store: &Store, name: &str, at: i64) -> std::path::PathBuf {
        let path = format!("attachments/{name}");
        std::fs::write(store.data_dir().join(&path), name).unwrap();
        let attachment = StoredAttachment {
            sha256: name.repeat(64 / name.len()),
            media_type: "application/pdf".into(),
            size: 1,
            path: path.clone(),
        };
        store.add_attachment(attachment, "owner", at).await.unwrap();
        store.data_dir().join(path)
    }

    #[tokio::test]
    async fn a_file_no_request_references_goes_a_day_after_its_last_upload() {
        let dir = std::env::temp_dir().join(format!("pishkhan-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).await.unwrap();
        let t = 1_700_000_000;
        let old = uploaded(&store, "aa", t).await;
        let fresh = uploaded(&store, "bb", t + 3600).await;
        // A day after the first: not yet (exactly a day is kept).
        assert_eq!(
            store
                .sweep_uploads(t + KEEP_UNREFERENCED_SECONDS)
                .await
                .unwrap(),
            0
        );
        assert_eq!(store.upload_usage("owner", t).await.unwrap(), (2, 2));
        // A second later the first goes, file and row; the later one stays.
        assert_eq!(
            store
                .sweep_uploads(t + KEEP_UNREFERENCED_SECONDS + 1)
                .await
                .unwrap(),
            1
        );
        assert!(!old.exists() && fresh.exists());
        assert!(store.attachment(&"aa".repeat(32)).await.unwrap().is_none());
        assert!(store.attachment(&"bb".repeat(32)).await.unwrap().is_some());
        assert_eq!(store.upload_usage("owner", 0).await.unwrap(), (1, 1));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
