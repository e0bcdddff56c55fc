//! The on-screen digit keypad's editing, as plain data: a key pressed on a value with a selection
//! gives the new value and caret. Positions count characters; the DOM's `selectionStart` counts
//! UTF-16 units, the same for what a number field holds (digits of any script, one unit each).
//! Tested natively.

/// A key of the keypad.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    /// 0–9: inserted as a Persian digit.
    Digit(u8),
    Backspace,
    Clear,
    Done,
}

impl Key {
    /// The keys in the order drawn: 1–9 in three rows, then clear, 0, backspace; done below.
    pub const ALL: [Key; 13] = [
        Key::Digit(1),
        Key::Digit(2),
        Key::Digit(3),
        Key::Digit(4),
        Key::Digit(5),
        Key::Digit(6),
        Key::Digit(7),
        Key::Digit(8),
        Key::Digit(9),
        Key::Clear,
        Key::Digit(0),
        Key::Backspace,
        Key::Done,
    ];

    /// The key's `data-key` value.
    pub fn id(self) -> &'static str {
        match self {
            Key::Digit(d) => {
                ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"][usize::from(d % 10)]
            }
            Key::Backspace => "backspace",
            Key::Clear => "clear",
            Key::Done => "done",
        }
    }

    pub fn from_id(id: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// The Persian digit `d` (0–9).
pub fn persian_digit(d: u8) -> char {
    char::from_u32('۰' as u32 + u32::from(d % 10)).unwrap_or('۰')
}

/// `value` after pressing `key` with the selection `start..end` (characters; a caret when
/// equal), and the caret after it. `max_len` (the input's `maxlength`) stops insertions.
/// `Done` changes nothing.
pub fn edit(
    value: &str,
    start: usize,
    end: usize,
    key: Key,
    max_len: Option<usize>,
) -> (String, usize) {
    let chars: Vec<char> = value.chars().collect();
    let end = end.min(chars.len());
    let start = start.min(end);
    let (before, after) = (&chars[..start], &chars[end..]);
    let join = |mid: Option<char>, before: &[char]| -> String {
        before
            .iter()
            .copied()
            .chain(mid)
            .chain(after.iter().copied())
            .collect()
    };
    match key {
        Key::Digit(_) if max_len.is_some_and(|m| before.len() + after.len() >= m) => {
            (value.to_owned(), end)
        }
        Key::Digit(d) => (join(Some(persian_digit(d)), before), start + 1),
        Key::Backspace if start < end => (join(None, before), start),
        Key::Backspace if start > 0 => (join(None, &before[..start - 1]), start - 1),
        Key::Backspace => (value.to_owned(), 0),
        Key::Clear => (String::new(), 0),
        Key::Done => (value.to_owned(), end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_inserted_in_persian_at_the_caret() {
        assert_eq!(edit("", 0, 0, Key::Digit(1), None), ("۱".into(), 1));
        assert_eq!(edit("۱۳", 1, 1, Key::Digit(2), None), ("۱۲۳".into(), 2));
        assert_eq!(edit("12", 2, 2, Key::Digit(0), None), ("12۰".into(), 3));
        assert_eq!(persian_digit(9), '۹');
    }

    #[test]
    fn a_selection_is_replaced() {
        assert_eq!(edit("۱۲۳۴", 1, 3, Key::Digit(9), None), ("۱۹۴".into(), 2));
        assert_eq!(edit("۱۲۳۴", 0, 4, Key::Backspace, None), ("".into(), 0));
    }

    #[test]
    fn backspace_clear_and_done() {
        assert_eq!(edit("۱۲۳", 3, 3, Key::Backspace, None), ("۱۲".into(), 2));
        assert_eq!(edit("۱۲۳", 1, 1, Key::Backspace, None), ("۲۳".into(), 0));
        assert_eq!(edit("۱۲۳", 0, 0, Key::Backspace, None), ("۱۲۳".into(), 0));
        assert_eq!(edit("۱۲۳", 2, 2, Key::Clear, None), ("".into(), 0));
        assert_eq!(edit("۱۲۳", 2, 2, Key::Done, None), ("۱۲۳".into(), 2));
    }

    #[test]
    fn maxlength_is_respected_and_positions_are_clamped() {
        assert_eq!(edit("۱۲", 2, 2, Key::Digit(3), Some(2)), ("۱۲".into(), 2));
        assert_eq!(edit("۱۲", 0, 2, Key::Digit(3), Some(2)), ("۳".into(), 1));
        assert_eq!(edit("۱۲", 9, 9, Key::Digit(3), None), ("۱۲۳".into(), 3));
    }

    #[test]
    fn key_ids_round_trip() {
        for k in Key::ALL {
            assert_eq!(Key::from_id(k.id()), Some(k));
        }
        assert_eq!(Key::from_id("x"), None);
    }
}
