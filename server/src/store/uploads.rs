//! Who uploaded what and when (`uploads`): a person's uploads of the last day (their quota), and
//! the sweep that removes the files no request references 24 hours after their last upload —
//! rows first, in one transaction, then the files — while no upload is being recorded.

use std::io::ErrorKind;

use super::{Store, StoreResult};

/// How long a file no request references is kept after its last upload: a day.
pub const KEEP_UNREFERENCED_SECONDS: i64 = 24 * 3600;

impl Store {
    /// Waits until no sweep runs, then keeps sweeps out until the guard is dropped: an upload
    /// holds it from moving its file into place to recording it.
    pub async fn files_shared(&self) -> tokio::sync::OwnedRwLockReadGuard<()> {
        self.files.clone().read_owned().await
    }

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
    /// [`KEEP_UNREFERENCED_SECONDS`] old (its row and its file), and the uploads older than that
    /// (they no longer count against a quota). How many files went.
    pub async fn sweep_uploads(&self, now: i64) -> StoreResult<usize> {
        let _alone = self.files.write().await;
        let before = now - KEEP_UNREFERENCED_SECONDS;
        let (_turn, mut tx) = self.begin_write().await?;
        let due: Vec<(String, String)> = sqlx::query_as(
            "SELECT sha256, path FROM attachments a WHERE a.created_at < $1 \
             AND NOT EXISTS (SELECT 1 FROM request_attachments r WHERE r.sha256 = a.sha256) \
             AND NOT EXISTS (SELECT 1 FROM uploads u WHERE u.sha256 = a.sha256 \
                             AND u.created_at >= $2)",
        )
        .bind(before)
        .bind(before)
        .fetch_all(&mut *tx)
        .await?;
        for (sha256, _) in &due {
            sqlx::query("DELETE FROM attachments WHERE sha256 = $1")
                .bind(sha256)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM uploads WHERE created_at < $1")
            .bind(before)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        // A crash here leaves files without rows: unreachable, and replaced by the same
        // content's next upload.
        for (_, path) in &due {
            match std::fs::remove_file(self.data_dir.join(path)) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => tracing::warn!(error = %e, "cannot remove an unreferenced upload"),
            }
        }
        Ok(due.len())
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
