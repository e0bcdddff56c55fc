//! The audit trail's hash chain: each request's rows are chained by SHA-256 (the first from the
//! tracking code), so editing, inserting or deleting a row is evident; verification of the chain.
//! The chain covers a row's personal fields (the staff's note, the action's data) through their
//! keyed hashes only (HMAC-SHA256 with the server's secret key, so a national ID or a sum cannot
//! be guessed back from a hash): the values themselves can be erased under retention and every
//! row hash still checks. The chain's older, unkeyed form is checked and converted once
//! ([`rechain`]).

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};

/// One move as the audit trail keeps it, before it is chained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub at: i64,
    pub from: Option<String>,
    pub to: String,
    pub action: String,
    /// Who: a username, `applicant` or `system`.
    pub actor: String,
    /// Their role (`Role::id`).
    pub actor_role: String,
    /// Personal: erasable (only its keyed hash is chained).
    pub note: Option<String>,
    /// The action's data as JSON, if it carried any. Personal: erasable.
    pub data: Option<String>,
}

/// The key of the personal fields' hashes (`secret.rs`'s key).
#[derive(Clone)]
pub struct Key(pub [u8; 32]);

/// The keyed hashes of a row's personal fields, which the row hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hashes {
    pub note: String,
    pub data: String,
}

/// HMAC-SHA256 of one personal field (`note` or `data`), absent and empty told apart.
pub fn field_hash(key: &Key, field: &str, value: Option<&str>) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes any key length");
    mac.update(format!("pishkhan-audit-{field}:").as_bytes());
    match value {
        None => mac.update(b"-"),
        Some(v) => {
            mac.update(b"+");
            mac.update(v.as_bytes());
        }
    }
    crate::hex(&mac.finalize().into_bytes())
}

/// The keyed hashes of an entry's note and data.
pub fn hashes(key: &Key, entry: &Entry) -> Hashes {
    Hashes {
        note: field_hash(key, "note", entry.note.as_deref()),
        data: field_hash(key, "data", entry.data.as_deref()),
    }
}

/// The hash the first row of a request's chain links to.
pub fn genesis(tracking_code_digits: &str) -> String {
    crate::hex(&Sha256::digest(
        format!("pishkhan-audit:{tracking_code_digits}").as_bytes(),
    ))
}

/// The row's hash: over the previous row's hash, every field of the row but the personal ones,
/// and the personal ones' keyed hashes (so it checks whether or not they were erased).
pub fn row_hash(prev_hash: &str, request_id: i64, entry: &Entry, hashes: &Hashes) -> String {
    chained(
        prev_hash,
        json!([
            "v2",
            request_id,
            entry.at,
            entry.from,
            entry.to,
            entry.action,
            entry.actor,
            entry.actor_role,
            hashes.note,
            hashes.data,
        ]),
    )
}

fn chained(prev_hash: &str, fields: serde_json::Value) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    crate::hex(&h.finalize())
}

/// A stored row as verification reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRow {
    pub id: i64,
    pub entry: Entry,
    /// NULL in a row of the chain's older form (before migration 0009).
    pub note_hash: Option<String>,
    pub data_hash: Option<String>,
    pub prev_hash: Option<String>,
    pub row_hash: Option<String>,
}

/// What is wrong with one request's chain, if anything: the first bad row and why. `version` is
/// the request's version, which counts its rows (a deleted last row shows there). In a request
/// `erased` under retention, a missing note or data is the erasure; elsewhere it must match.
pub fn check_chain(
    key: &Key,
    tracking_code_digits: &str,
    request_id: i64,
    version: i64,
    rows: &[StoredRow],
    erased: bool,
) -> Option<(Option<i64>, &'static str)> {
    let mut prev = genesis(tracking_code_digits);
    for row in rows {
        if row.prev_hash.as_deref() != Some(prev.as_str()) {
            return Some((Some(row.id), "the row does not link to the one before it"));
        }
        let (Some(note), Some(data)) = (&row.note_hash, &row.data_hash) else {
            return Some((Some(row.id), "the row has no hashes of its personal fields"));
        };
        let fields = [
            ("note", &row.entry.note, note),
            ("data", &row.entry.data, data),
        ];
        for (field, value, hash) in fields {
            let kept = value.is_some() || !erased;
            if kept && field_hash(key, field, value.as_deref()) != *hash {
                return Some((Some(row.id), "the action's data was changed"));
            }
        }
        let stored = Hashes {
            note: note.clone(),
            data: data.clone(),
        };
        let hash = row_hash(&prev, request_id, &row.entry, &stored);
        if row.row_hash.as_deref() != Some(hash.as_str()) {
            return Some((Some(row.id), "the row was changed after it was written"));
        }
        prev = hash;
    }
    if rows.len() as i64 != version {
        return Some((
            None,
            "rows are missing or were added (their count is not the request's version)",
        ));
    }
    None
}

/// One row of a chain in its keyed form: what [`rechain`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rechained {
    pub id: i64,
    pub actor_role: String,
    pub hashes: Hashes,
    pub prev_hash: String,
    pub row_hash: String,
}

/// A request's rows of the older forms, chained again in the keyed one — if they verify in the
/// form they were written in. Rows written before the chain existed (no row hash at all:
/// migration 0002) were never chained and are chained now as they are, their role taken from
/// the actor when missing. `None`: the older chain is broken, and is left as it is so that
/// verification keeps showing it.
pub fn rechain(
    key: &Key,
    tracking_code_digits: &str,
    request_id: i64,
    rows: &[StoredRow],
) -> Option<Vec<Rechained>> {
    let never_chained = rows.iter().any(|r| r.row_hash.is_none());
    let mut old_prev = genesis(tracking_code_digits);
    let mut prev = old_prev.clone();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        if !never_chained {
            let data_hash = crate::hex(&Sha256::digest(
                row.entry.data.as_deref().unwrap_or("").as_bytes(),
            ));
            let old = unkeyed_row_hash(&old_prev, request_id, &row.entry);
            if row.prev_hash.as_deref() != Some(old_prev.as_str())
                || row.data_hash.as_deref() != Some(data_hash.as_str())
                || row.row_hash.as_deref() != Some(old.as_str())
            {
                return None;
            }
            old_prev = old;
        }
        let mut entry = row.entry.clone();
        if entry.actor_role.is_empty() {
            entry.actor_role = entry.actor.clone();
        }
        let hashes = hashes(key, &entry);
        let hash = row_hash(&prev, request_id, &entry, &hashes);
        out.push(Rechained {
            id: row.id,
            actor_role: entry.actor_role,
            hashes,
            prev_hash: prev,
            row_hash: hash.clone(),
        });
        prev = hash;
    }
    Some(out)
}

/// The row hash of the chain's unkeyed form (migrations 0002 to 0008): the note in clear and the
/// data's plain SHA-256.
fn unkeyed_row_hash(prev_hash: &str, request_id: i64, entry: &Entry) -> String {
    chained(
        prev_hash,
        json!([
            request_id,
            entry.at,
            entry.from,
            entry.to,
            entry.action,
            entry.actor,
            entry.actor_role,
            entry.note,
            crate::hex(&Sha256::digest(
                entry.data.as_deref().unwrap_or("").as_bytes()
            )),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Key = Key([7; 32]);

    fn entry(action: &str) -> Entry {
        Entry {
            at: 1_700_000_000,
            from: Some("a".into()),
            to: "b".into(),
            action: action.into(),
            actor: "faculty".into(),
            actor_role: "faculty_expert".into(),
            note: Some("0084575948".into()),
            data: Some(r#"{"debt_rials":5}"#.into()),
        }
    }

    fn chain(entries: &[Entry]) -> Vec<StoredRow> {
        let mut prev = genesis("123456789012");
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let h = hashes(&KEY, e);
                let hash = row_hash(&prev, 7, e, &h);
                let row = StoredRow {
                    id: i as i64 + 1,
                    entry: e.clone(),
                    note_hash: Some(h.note),
                    data_hash: Some(h.data),
                    prev_hash: Some(prev.clone()),
                    row_hash: Some(hash.clone()),
                };
                prev = hash;
                row
            })
            .collect()
    }

    fn check(rows: &[StoredRow], version: i64) -> Option<(Option<i64>, &'static str)> {
        check_chain(&KEY, "123456789012", 7, version, rows, false)
    }

    #[test]
    fn a_clean_chain_verifies_and_every_kind_of_tampering_shows() {
        let rows = chain(&[entry("submit"), entry("cancel_card"), entry("revoke")]);
        assert_eq!(check(&rows, 3), None);
        // Another request's code or id, or another key.
        assert!(check_chain(&KEY, "123456789013", 7, 3, &rows, false).is_some());
        assert!(check_chain(&KEY, "123456789012", 8, 3, &rows, false).is_some());
        assert!(check_chain(&Key([8; 32]), "123456789012", 7, 3, &rows, false).is_some());
        // An edited field.
        let mut edited = rows.clone();
        edited[1].entry.actor = "someone-else".into();
        assert_eq!(check(&edited, 3).unwrap().0, Some(2));
        // Edited data or note, with or without its hash.
        let mut data = rows.clone();
        data[1].entry.data = Some(r#"{"debt_rials":0}"#.into());
        assert_eq!(check(&data, 3).unwrap().0, Some(2));
        data[1].data_hash = Some(field_hash(&KEY, "data", data[1].entry.data.as_deref()));
        assert_eq!(check(&data, 3).unwrap().0, Some(2));
        let mut note = rows.clone();
        note[0].entry.note = None;
        assert_eq!(check(&note, 3).unwrap().0, Some(1));
        // A row deleted in the middle, or at the end.
        let middle = vec![rows[0].clone(), rows[2].clone()];
        assert_eq!(check(&middle, 3).unwrap().0, Some(3));
        assert_eq!(check(&rows[..2], 3).unwrap().0, None);
    }

    #[test]
    fn erased_personal_fields_keep_the_chain_checkable_and_their_hashes_keyed() {
        let mut rows = chain(&[entry("submit"), entry("cancel_permit")]);
        // The hash is keyed: the plain SHA-256 of the value is not it.
        let plain = crate::hex(&Sha256::digest(b"0084575948"));
        assert_ne!(rows[0].note_hash.as_deref(), Some(plain.as_str()));
        for row in &mut rows {
            row.entry.note = None;
            row.entry.data = None;
        }
        assert_eq!(check_chain(&KEY, "123456789012", 7, 2, &rows, true), None);
        // Outside an erased request, a missing value is a change.
        assert!(check(&rows, 2).is_some());
        // Erasure does not hide an edit of the other fields.
        rows[1].entry.to = "issued".into();
        assert!(check_chain(&KEY, "123456789012", 7, 2, &rows, true).is_some());
    }

    #[test]
    fn an_unkeyed_chain_is_converted_only_when_it_verifies() {
        let entries = [entry("submit"), entry("cancel_card")];
        let mut prev = genesis("123456789012");
        let old: Vec<StoredRow> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let hash = unkeyed_row_hash(&prev, 7, e);
                let row = StoredRow {
                    id: i as i64 + 1,
                    entry: e.clone(),
                    note_hash: None,
                    data_hash: Some(crate::hex(&Sha256::digest(
                        e.data.as_deref().unwrap().as_bytes(),
                    ))),
                    prev_hash: Some(prev.clone()),
                    row_hash: Some(hash.clone()),
                };
                prev = hash;
                row
            })
            .collect();
        let new = rechain(&KEY, "123456789012", 7, &old).expect("a clean chain converts");
        let converted: Vec<StoredRow> = old
            .iter()
            .zip(&new)
            .map(|(o, n)| StoredRow {
                note_hash: Some(n.hashes.note.clone()),
                data_hash: Some(n.hashes.data.clone()),
                prev_hash: Some(n.prev_hash.clone()),
                row_hash: Some(n.row_hash.clone()),
                ..o.clone()
            })
            .collect();
        assert_eq!(check(&converted, 2), None);
        assert_eq!(converted, chain(&entries).as_slice());
        // A tampered older chain is not laundered.
        let mut tampered = old.clone();
        tampered[0].entry.note = Some("changed".into());
        assert_eq!(rechain(&KEY, "123456789012", 7, &tampered), None);
    }
}
