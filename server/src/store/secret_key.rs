//! `<data-dir>/secret.key`: the server's secret key, 32 random bytes made once on the first
//! start (mode 0600, written whole and synced before it is used) and checked on every start — a
//! key file others may read, or of another length, stops the start with the reason rather than
//! being replaced (replacing it would void every outstanding code). docs/operations.md says
//! what its loss costs and that backups must include it.

use std::io::{ErrorKind, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::domain::secret::{SecretKey, KEY_BYTES};

/// The key file's name in the data directory.
pub const FILE_NAME: &str = "secret.key";

/// Reads the data directory's key, making it first if there is none.
pub fn load_or_create(data_dir: &Path) -> std::io::Result<SecretKey> {
    let path = data_dir.join(FILE_NAME);
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
    {
        Ok(mut file) => {
            let mut bytes = [0u8; KEY_BYTES];
            getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
            let written = file.write_all(&bytes).and_then(|()| file.sync_all());
            if let Err(e) = written {
                // Never leave a short key behind to be refused on the next start.
                let _ = std::fs::remove_file(&path);
                return Err(e);
            }
            std::fs::File::open(data_dir)?.sync_all()?;
            Ok(SecretKey::from_bytes(bytes))
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => read(&path),
        Err(e) => Err(e),
    }
}

/// Reads and checks an existing key file.
fn read(path: &Path) -> std::io::Result<SecretKey> {
    let refuse = |why: String| {
        std::io::Error::new(
            ErrorKind::InvalidData,
            format!("the server key {}: {why}", path.display()),
        )
    };
    let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(refuse(format!(
            "others may read it (mode {mode:04o}); make it the server user's alone \
             (chmod 0600) and start again"
        )));
    }
    let bytes = std::fs::read(path)?;
    let bytes: [u8; KEY_BYTES] = bytes.as_slice().try_into().map_err(|_| {
        refuse(format!(
            "it holds {} bytes, not {KEY_BYTES} bytes; restore it from the backup (a new key \
             voids every outstanding code)",
            bytes.len()
        ))
    })?;
    Ok(SecretKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("pishkhan-key-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let first = load_or_create(&dir).unwrap();
        let again = load_or_create(&dir).unwrap();
        assert_eq!(first.mac("p", "s", "1"), again.mac("p", "s", "1"));
        let mode = std::fs::metadata(dir.join(FILE_NAME))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
