//! `pishkhan backup` and `pishkhan restore`: one tar archive of a data directory taken while the
//! server runs — the database copied by `VACUUM INTO` (one read transaction: a consistent
//! snapshot), then the uploaded files that snapshot records, and `secret.key` — written under a
//! temporary name with mode 0600, synced and renamed; and that archive unpacked into an empty
//! directory, its audit chain verified and its files checked (docs/deploy.md, "Backups").

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::{Connection, SqliteConnection};

use super::CommandError;
use crate::store::secret_key;
use crate::store::Store;

/// The database's file name inside a data directory and an archive.
const DATABASE: &str = "pishkhan.sqlite3";

fn fault(what: &str, e: impl std::fmt::Display) -> CommandError {
    CommandError::Fault(format!("{what}: {e}"))
}

/// `pishkhan backup --data-dir DIR --to FILE`: what to print.
pub async fn backup(data_dir: &Path, to: &Path) -> Result<String, CommandError> {
    let database = data_dir.join(DATABASE);
    if !database.is_file() {
        return Err(fault("data-dir", format!("no {}", database.display())));
    }
    let name = to
        .file_name()
        .ok_or_else(|| fault("to", "names no file"))?
        .to_string_lossy()
        .into_owned();
    let temp = |suffix: &str| to.with_file_name(format!(".{name}.{}{suffix}", std::process::id()));
    let (snapshot, archive) = (temp(".sqlite3"), temp(".tar"));
    let written = write_archive(data_dir, &snapshot, &archive, to).await;
    let _ = std::fs::remove_file(&snapshot);
    if written.is_err() {
        let _ = std::fs::remove_file(&archive);
    }
    let (files, key) = written?;
    Ok(format!(
        "backup {}: the database, {files} files{}",
        to.display(),
        if key { ", secret.key" } else { "" }
    ))
}

/// Snapshots the database into `snapshot`, writes the archive to `archive` and renames it to
/// `to`: (files archived, whether the key was).
async fn write_archive(
    data_dir: &Path,
    snapshot: &Path,
    archive: &Path,
    to: &Path,
) -> Result<(usize, bool), CommandError> {
    let url = format!("sqlite://{}", data_dir.join(DATABASE).display());
    let mut live = SqliteConnection::connect(&url)
        .await
        .map_err(|e| fault("database", e))?;
    sqlx::query("PRAGMA busy_timeout = 10000")
        .execute(&mut live)
        .await
        .map_err(|e| fault("database", e))?;
    sqlx::query("VACUUM INTO $1")
        .bind(snapshot.to_string_lossy().into_owned())
        .execute(&mut live)
        .await
        .map_err(|e| fault("snapshot", e))?;
    live.close().await.map_err(|e| fault("database", e))?;

    // The files the snapshot records. One recorded but gone from disk since (an unused upload
    // cleaned away) is dropped from the snapshot; one a request uses must be there.
    let url = format!("sqlite://{}", snapshot.display());
    let mut copy = SqliteConnection::connect(&url)
        .await
        .map_err(|e| fault("snapshot", e))?;
    let recorded: Vec<(String, String, bool)> = sqlx::query_as(
        "SELECT a.sha256, a.path, EXISTS (SELECT 1 FROM request_attachments ra \
         WHERE ra.sha256 = a.sha256) FROM attachments a ORDER BY a.sha256",
    )
    .fetch_all(&mut copy)
    .await
    .map_err(|e| fault("snapshot", e))?;
    let mut files = Vec::new();
    for (sha256, path, used) in recorded {
        let relative = safe_relative(&path).ok_or_else(|| fault("attachment path", &path))?;
        if data_dir.join(&relative).is_file() {
            files.push(relative);
        } else if used {
            return Err(fault("missing file of a request", path));
        } else {
            sqlx::query("DELETE FROM attachments WHERE sha256 = $1")
                .bind(&sha256)
                .execute(&mut copy)
                .await
                .map_err(|e| fault("snapshot", e))?;
        }
    }
    copy.close().await.map_err(|e| fault("snapshot", e))?;

    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let out = options.open(archive).map_err(|e| fault("to", e))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::new(out));
    append(&mut tar, snapshot, Path::new(DATABASE))?;
    for relative in &files {
        append(&mut tar, &data_dir.join(relative), relative)?;
    }
    let key = data_dir.join(secret_key::FILE_NAME);
    let has_key = key.is_file();
    if has_key {
        append(&mut tar, &key, Path::new(secret_key::FILE_NAME))?;
    }
    let out = tar
        .into_inner()
        .map_err(|e| fault("archive", e))?
        .into_inner()
        .map_err(|e| fault("archive", e.error()))?;
    out.sync_all().map_err(|e| fault("archive", e))?;
    drop(out);
    std::fs::rename(archive, to).map_err(|e| fault("to", e))?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| fault("to", e))?;
    }
    Ok((files.len(), has_key))
}

/// Appends one file as `name`, mode 0600.
fn append(
    tar: &mut tar::Builder<impl Write>,
    path: &Path,
    name: &Path,
) -> Result<(), CommandError> {
    let mut file = std::fs::File::open(path).map_err(|e| fault("read", e))?;
    let size = file.metadata().map_err(|e| fault("read", e))?.len();
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(crate::domain::clock::now_unix().max(0) as u64);
    tar.append_data(&mut header, name, &mut file)
        .map_err(|e| fault("archive", e))
}

/// A path inside the data directory: relative, of plain names only.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let p = Path::new(path);
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && p.components().next().is_some()).then(|| p.to_owned())
}

/// `pishkhan restore --from FILE --data-dir DIR`: unpacks into an empty (or new) directory,
/// then opens it (migrations), verifies the audit chain and checks every file a request uses.
pub async fn restore(from: &Path, data_dir: &Path) -> Result<String, CommandError> {
    let not_empty = std::fs::read_dir(data_dir).map(|mut d| d.next().is_some());
    if not_empty.unwrap_or(false) {
        return Err(CommandError::Input(vec![rules::InputError::new(
            Some("data-dir"),
            format!(
                "data-dir: {} is not empty; restore into an empty directory.",
                data_dir.display()
            ),
            format!(
                "data-dir: پوشه {} خالی نیست؛ در پوشه‌ای خالی بازگردانی کنید.",
                data_dir.display()
            ),
        )]));
    }
    std::fs::create_dir_all(data_dir).map_err(|e| fault("data-dir", e))?;
    let file = std::fs::File::open(from).map_err(|e| fault("from", e))?;
    let mut archive = tar::Archive::new(std::io::BufReader::new(file));
    let mut has_database = false;
    for entry in archive.entries().map_err(|e| fault("from", e))? {
        let mut entry = entry.map_err(|e| fault("from", e))?;
        let name = entry
            .path()
            .map_err(|e| fault("from", e))?
            .to_string_lossy()
            .into_owned();
        let relative = safe_relative(&name)
            .filter(|p| {
                p == Path::new(DATABASE)
                    || p == Path::new(secret_key::FILE_NAME)
                    || p.starts_with("attachments")
            })
            .ok_or_else(|| fault("from: unexpected entry", &name))?;
        has_database |= relative == Path::new(DATABASE);
        let target = data_dir.join(&relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fault("data-dir", e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut out = options.open(&target).map_err(|e| fault("data-dir", e))?;
        std::io::copy(&mut entry, &mut out).map_err(|e| fault("data-dir", e))?;
        out.sync_all().map_err(|e| fault("data-dir", e))?;
    }
    if !has_database {
        return Err(fault("from", "the archive holds no database"));
    }
    let store = Store::open(data_dir).await?;
    // The copy's periodic tasks are due at once: its first start purges what fell due since the
    // backup (the claims in the archive say when the original last ran them).
    store.forget_task_claims().await?;
    let (requests, rows, broken) = store.verify_audit().await?;
    if let Some((code, _, why)) = broken.first() {
        return Err(fault(
            "restored audit chain",
            format!("{} broken chains, the first {code}: {why}", broken.len()),
        ));
    }
    let used: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT a.sha256, a.path FROM request_attachments ra \
         JOIN attachments a ON a.sha256 = ra.sha256",
    )
    .fetch_all(store.pool())
    .await
    .map_err(|e| fault("restored database", e))?;
    for (sha256, path) in &used {
        let mut bytes = Vec::new();
        std::fs::File::open(data_dir.join(path))
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map_err(|e| fault("restored file", format!("{path}: {e}")))?;
        if crate::hex(&Sha256::digest(&bytes)) != *sha256 {
            return Err(fault("restored file differs", path));
        }
    }
    Ok(format!(
        "restored into {}: {requests} requests, {rows} audit rows verified, {} files checked",
        data_dir.display(),
        used.len()
    ))
}
