//! The audit trail's hash chain: each request's rows are chained by SHA-256 (the first from the
//! tracking code), so editing, inserting or deleting a row is evident; verification of the chain.

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
    pub note: Option<String>,
    /// The action's data as JSON, if it carried any.
    pub data: Option<String>,
}

/// The hash the first row of a request's chain links to.
pub fn genesis(tracking_code_digits: &str) -> String {
    crate::hex(&Sha256::digest(
        format!("pishkhan-audit:{tracking_code_digits}").as_bytes(),
    ))
}

/// SHA-256 of the action's data (of the empty string when there is none).
pub fn data_hash(data: Option<&str>) -> String {
    crate::hex(&Sha256::digest(data.unwrap_or("").as_bytes()))
}

/// The row's hash: over the previous row's hash and every field of the row.
pub fn row_hash(prev_hash: &str, request_id: i64, entry: &Entry) -> String {
    let fields = json!([
        request_id,
        entry.at,
        entry.from,
        entry.to,
        entry.action,
        entry.actor,
        entry.actor_role,
        entry.note,
        data_hash(entry.data.as_deref()),
    ]);
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    crate::hex(&h.finalize())
}

/// A stored row as verification reads it.
#[derive(Clone, Debug)]
pub struct StoredRow {
    pub id: i64,
    pub entry: Entry,
    pub data_hash: Option<String>,
    pub prev_hash: Option<String>,
    pub row_hash: Option<String>,
}

/// What is wrong with one request's chain, if anything: the first bad row and why. `version` is
/// the request's version, which counts its rows (a deleted last row shows there).
pub fn check_chain(
    tracking_code_digits: &str,
    request_id: i64,
    version: i64,
    rows: &[StoredRow],
) -> Option<(Option<i64>, &'static str)> {
    let mut prev = genesis(tracking_code_digits);
    for row in rows {
        if row.prev_hash.as_deref() != Some(prev.as_str()) {
            return Some((Some(row.id), "the row does not link to the one before it"));
        }
        if row.data_hash.as_deref() != Some(data_hash(row.entry.data.as_deref()).as_str()) {
            return Some((Some(row.id), "the action's data was changed"));
        }
        let hash = row_hash(&prev, request_id, &row.entry);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str) -> Entry {
        Entry {
            at: 1_700_000_000,
            from: Some("a".into()),
            to: "b".into(),
            action: action.into(),
            actor: "faculty".into(),
            actor_role: "faculty_expert".into(),
            note: None,
            data: Some(r#"{"debt_rials":5}"#.into()),
        }
    }

    fn chain(entries: &[Entry]) -> Vec<StoredRow> {
        let mut prev = genesis("123456789012");
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let hash = row_hash(&prev, 7, e);
                let row = StoredRow {
                    id: i as i64 + 1,
                    entry: e.clone(),
                    data_hash: Some(data_hash(e.data.as_deref())),
                    prev_hash: Some(prev.clone()),
                    row_hash: Some(hash.clone()),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn a_clean_chain_verifies_and_every_kind_of_tampering_shows() {
        let rows = chain(&[entry("submit"), entry("cancel_card"), entry("revoke")]);
        assert_eq!(check_chain("123456789012", 7, 3, &rows), None);
        // Another request's code or id.
        assert!(check_chain("123456789013", 7, 3, &rows).is_some());
        assert!(check_chain("123456789012", 8, 3, &rows).is_some());
        // An edited field.
        let mut edited = rows.clone();
        edited[1].entry.actor = "someone-else".into();
        assert_eq!(
            check_chain("123456789012", 7, 3, &edited).unwrap().0,
            Some(2)
        );
        // Edited data, with or without its hash.
        let mut data = rows.clone();
        data[1].entry.data = Some(r#"{"debt_rials":0}"#.into());
        assert_eq!(check_chain("123456789012", 7, 3, &data).unwrap().0, Some(2));
        data[1].data_hash = Some(data_hash(data[1].entry.data.as_deref()));
        assert_eq!(check_chain("123456789012", 7, 3, &data).unwrap().0, Some(2));
        // A row deleted in the middle, or at the end.
        let middle = vec![rows[0].clone(), rows[2].clone()];
        assert_eq!(
            check_chain("123456789012", 7, 3, &middle).unwrap().0,
            Some(3)
        );
        assert_eq!(
            check_chain("123456789012", 7, 3, &rows[..2]).unwrap().0,
            None
        );
    }
}
