//! The server's secret key: 32 random bytes in `<data-dir>/secret.key` (mode 0600), made once on
//! first start and read on every later one. It keys the audit chain's hashes of personal fields
//! (`audit.rs`); the backup archive carries it (docs/deploy.md, "Backups").

use std::io::{Read, Write};
use std::path::Path;

/// The key file's name inside the data directory.
pub const FILE: &str = "secret.key";

/// Bytes of the key.
pub const LEN: usize = 32;

/// The data directory's key: read, or made (32 bytes from the OS, written with mode 0600 and
/// synced) when the file does not exist yet. Two processes racing to make it agree: the one that
/// loses the exclusive create reads the winner's.
pub fn load_or_create(data_dir: &Path) -> std::io::Result<[u8; LEN]> {
    let path = data_dir.join(FILE);
    match read(&path) {
        Ok(key) => return Ok(key),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut key = [0u8; LEN];
    getrandom::fill(&mut key).map_err(std::io::Error::other)?;
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
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path),
        Err(e) => Err(e),
    }
}

fn read(path: &Path) -> std::io::Result<[u8; LEN]> {
    let mut bytes = Vec::with_capacity(LEN);
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    bytes.try_into().map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{} does not hold {LEN} bytes", path.display()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("pishkhan-secret-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let made = load_or_create(&dir).unwrap();
        assert_eq!(load_or_create(&dir).unwrap(), made);
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
        let _ = std::fs::remove_dir_all(&dir);
    }
}
