//! The server's secret key, `<data-dir>/secret.key`: 32 random bytes, created once (mode 0600)
//! and read at every start; it signs what the server must recognise later (the staff's device
//! cookies). Backups must keep it (README, "Production flags").

use std::io::Write;
use std::path::Path;

/// The file's name in the data directory.
pub const FILE: &str = "secret.key";

/// The key of `data_dir`, created on first use. A file of another length is an error, never
/// replaced (that would disown every signature made with it).
pub fn load_or_create(data_dir: &Path) -> std::io::Result<[u8; 32]> {
    let path = data_dir.join(FILE);
    match std::fs::read(&path) {
        Ok(bytes) => {
            return bytes.try_into().map_err(|b: Vec<u8>| {
                std::io::Error::other(format!(
                    "{} holds {} bytes, not 32",
                    path.display(),
                    b.len()
                ))
            })
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            file.write_all(&key)?;
            file.sync_all()?;
            Ok(key)
        }
        // Another process made it first: theirs is the key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(data_dir),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("pishkhan-key-{}", crate::random_hex(8)));
        std::fs::create_dir_all(&dir).unwrap();
        let key = load_or_create(&dir).unwrap();
        assert_eq!(load_or_create(&dir).unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(dir.join(FILE), b"short").unwrap();
        assert!(load_or_create(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
