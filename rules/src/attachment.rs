//! Uploaded files: the types a request accepts (PDF, JPEG, PNG), recognised from their first
//! bytes rather than their names, and the size limit.

use serde::{Deserialize, Serialize};

/// Largest file a request may carry, in bytes (5 MiB: a scanned form at a readable resolution).
pub const MAX_ATTACHMENT_BYTES: u64 = 5 * 1024 * 1024;

/// A file type a request accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MediaType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl MediaType {
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<MediaType> {
        [MediaType::Pdf, MediaType::Jpeg, MediaType::Png]
            .into_iter()
            .find(|m| m.mime() == mime)
    }
}

/// The type of a file from its first bytes (its "magic number"); `None` for anything else,
/// whatever its name says.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(MediaType::Png)
    } else {
        None
    }
}

/// Why a file is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AttachmentError {
    Empty,
    TooLarge { size: u64 },
    WrongType,
}

impl AttachmentError {
    pub fn message_fa(self) -> String {
        match self {
            AttachmentError::Empty => "فایل خالی است.".into(),
            AttachmentError::TooLarge { size } => crate::digits::to_persian_digits(&format!(
                "حجم فایل {} کیلوبایت است؛ حداکثر {} کیلوبایت مجاز است.",
                size.div_ceil(1024),
                MAX_ATTACHMENT_BYTES / 1024
            )),
            AttachmentError::WrongType => "فقط فایل PDF، JPEG یا PNG پذیرفته می‌شود.".into(),
        }
    }

    pub fn message_en(self) -> String {
        match self {
            AttachmentError::Empty => "the file is empty.".into(),
            AttachmentError::TooLarge { size } => format!(
                "the file is {} KB; at most {} KB is allowed.",
                size.div_ceil(1024),
                MAX_ATTACHMENT_BYTES / 1024
            ),
            AttachmentError::WrongType => "only PDF, JPEG or PNG files are accepted.".into(),
        }
    }
}

/// Checks a file about to be attached: not empty, within the limit, and of an accepted type
/// judged from its first bytes (`head`: at least its first 8 bytes).
pub fn check_upload(size: u64, head: &[u8]) -> Result<MediaType, AttachmentError> {
    if size == 0 {
        return Err(AttachmentError::Empty);
    }
    if size > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge { size });
    }
    sniff(head).ok_or(AttachmentError::WrongType)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(MediaType::Png));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn uploads_are_checked_for_size_and_type() {
        assert_eq!(check_upload(10, b"%PDF-1.4"), Ok(MediaType::Pdf));
        assert_eq!(check_upload(0, b""), Err(AttachmentError::Empty));
        assert_eq!(
            check_upload(MAX_ATTACHMENT_BYTES, b"%PDF-1.4"),
            Ok(MediaType::Pdf)
        );
        assert_eq!(
            check_upload(MAX_ATTACHMENT_BYTES + 1, b"%PDF-1.4"),
            Err(AttachmentError::TooLarge {
                size: MAX_ATTACHMENT_BYTES + 1
            })
        );
        assert_eq!(check_upload(10, b"<html>"), Err(AttachmentError::WrongType));
        assert!(AttachmentError::WrongType.message_fa().contains("PDF"));
    }
}
