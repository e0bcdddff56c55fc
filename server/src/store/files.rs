//! Uploaded files' bytes, by SHA-256, where every server instance reads them: on SQLite (one
//! process) files under `<data-dir>/attachments/<2 hex>/<sha256>`; on PostgreSQL rows of
//! `attachment_blobs`, inserted in the transaction that records the file and deleted with its
//! record (docs/deploy.md, "Where uploaded files live"). The one seam for them: keeping an
//! upload, reading a file back, removing a file whose record was deleted.

use std::io::ErrorKind;
use std::path::Path;

use super::{Engine, Store, StoreError, StoreResult, StoredAttachment};

/// Where SQLite's store keeps a file, relative to the data directory:
/// `attachments/<2 hex>/<sha256>`.
pub fn path_of(sha256: &str) -> String {
    format!("attachments/{}/{sha256}", &sha256[..2.min(sha256.len())])
}

/// A fault of the store, as an I/O error.
fn fault(e: StoreError) -> std::io::Error {
    std::io::Error::other(e)
}

/// A database error as an I/O error: PostgreSQL's full disk (SQLSTATE 53100) as
/// [`ErrorKind::StorageFull`], as a full data directory is; anything else a fault.
fn from_sqlx(e: sqlx::Error) -> std::io::Error {
    let full = matches!(&e, sqlx::Error::Database(d) if d.code().as_deref() == Some("53100"));
    if full {
        std::io::Error::new(ErrorKind::StorageFull, e)
    } else {
        fault(e.into())
    }
}

impl Store {
    /// Keeps an upload whose bytes are in the synced temporary file `tmp` (under the data
    /// directory) and records it — `attachments` (a file recorded before keeps its record) and
    /// its upload by `owner` at `now` — consuming `tmp`:
    /// - on SQLite the file is renamed into place ([`path_of`]) and its folder synced, then
    ///   recorded through the writer, while no sweep runs;
    /// - on PostgreSQL its bytes (`attachment_blobs`, `ON CONFLICT DO NOTHING`) and its records are
    ///   inserted in one transaction, so no instance ever sees a record without its bytes, then
    ///   `tmp` is removed. Recording a file again moves its `created_at` to now, taking its row's
    ///   lock: a sweep on another instance that found the file stale meanwhile keeps it.
    ///
    /// An I/O error, so that a full disk or database ([`ErrorKind::StorageFull`]) is told apart.
    pub async fn keep_upload(
        &self,
        tmp: &Path,
        attachment: StoredAttachment,
        owner: &str,
        now: i64,
    ) -> std::io::Result<()> {
        match self.engine {
            Engine::Sqlite => {
                let _no_sweep = self.files.clone().read_owned().await;
                let (from, to) = (tmp.to_owned(), self.data_dir.join(&attachment.path));
                tokio::task::spawn_blocking(move || persist(&from, &to))
                    .await
                    .map_err(std::io::Error::other)??;
                self.add_attachment(attachment, owner, now)
                    .await
                    .map_err(fault)
            }
            Engine::Postgres => {
                let bytes = tokio::fs::read(tmp).await?;
                let (_, mut tx) = self.begin_write().await.map_err(fault)?;
                super::record_uploads(
                    &mut tx,
                    &[(&attachment, owner, now)],
                    " ON CONFLICT (sha256) DO UPDATE \
                     SET created_at = GREATEST(attachments.created_at, EXCLUDED.created_at)",
                )
                .await
                .map_err(fault)?;
                sqlx::query(
                    "INSERT INTO attachment_blobs (sha256, bytes) VALUES ($1, $2) \
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(attachment.sha256.as_str())
                .bind(bytes)
                .execute(&mut *tx)
                .await
                .map_err(from_sqlx)?;
                tx.commit().await.map_err(from_sqlx)?;
                let _ = tokio::fs::remove_file(tmp).await;
                Ok(())
            }
        }
    }

    /// The bytes of a recorded file: from the data directory's disk on SQLite, from
    /// `attachment_blobs` on PostgreSQL (whichever instance received it).
    pub async fn read_file(&self, file: &StoredAttachment) -> StoreResult<Vec<u8>> {
        match self.engine {
            Engine::Sqlite => Ok(tokio::fs::read(self.data_dir.join(&file.path)).await?),
            Engine::Postgres => {
                sqlx::query_scalar("SELECT bytes FROM attachment_blobs WHERE sha256 = $1")
                    .bind(file.sha256.as_str())
                    .fetch_optional(self.pool())
                    .await?
                    .ok_or_else(|| StoreError("a recorded file has no bytes".into()))
            }
        }
    }

    /// After the commit that deleted a file's record (the sweep, the retention purge): removes
    /// its file from disk on SQLite (one already gone is fine); nothing on PostgreSQL, where its
    /// bytes went with the record in that transaction.
    pub(crate) fn remove_unrecorded(&self, path: &str) -> std::io::Result<()> {
        if self.engine == Engine::Postgres {
            return Ok(());
        }
        match std::fs::remove_file(self.data_dir.join(path)) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Moves a synced file into place and syncs the folder, so the name survives a crash too.
fn persist(tmp: &Path, target: &Path) -> std::io::Result<()> {
    let folder = target.parent().expect("attachments/<xx>/");
    std::fs::create_dir_all(folder)?;
    std::fs::rename(tmp, target)?;
    std::fs::File::open(folder)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_keeps_an_upload_on_disk_reads_it_back_and_removes_it() {
        let dir = std::env::temp_dir().join(format!("pishkhan-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).await.unwrap();
        let sha256 = "ab".repeat(32);
        let tmp = dir.join("attachments").join("tmp").join("upload");
        std::fs::write(&tmp, b"%PDF-1.4\n").unwrap();
        let file = StoredAttachment {
            sha256: sha256.clone(),
            media_type: "application/pdf".into(),
            size: 9,
            path: path_of(&sha256),
        };
        store
            .keep_upload(&tmp, file.clone(), "owner", 1)
            .await
            .unwrap();
        assert!(!tmp.exists(), "the temporary file was moved into place");
        assert_eq!(file.path, format!("attachments/ab/{sha256}"));
        assert_eq!(store.attachment(&sha256).await.unwrap(), Some(file.clone()));
        assert_eq!(store.read_file(&file).await.unwrap(), b"%PDF-1.4\n");
        store.remove_unrecorded(&file.path).unwrap();
        assert!(!dir.join(&file.path).exists());
        // Removing it again (a crash between two tries) is fine.
        store.remove_unrecorded(&file.path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
