//! Runs the example tables under `tests/cases/` (one JSON Lines file per rule) through the
//! contract, with one `check()` helper; see `tests/cases/README.md` for the format.

use std::path::{Path, PathBuf};

use rules::{Mobile, NationalId, PostalCode, Tool};
use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases")
}

/// One case: `{"name", "input", "expected"}`, read from `file` at `line`.
struct Case {
    at: String,
    name: String,
    input: Value,
    expected: Value,
}

fn read_cases(file: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let at = format!("{}:{}", file.file_name().unwrap().to_string_lossy(), i + 1);
            let mut v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{at}: {e}"));
            Case {
                name: v["name"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{at}: no name"))
                    .to_owned(),
                input: v["input"].take(),
                expected: v["expected"].take(),
                at,
            }
        })
        .collect()
}

/// Compares an answer with what a case expects; returns what differs.
///
/// - `{"error": {"field": F}}`: the input must be refused as `INVALID_INPUT` naming field F.
/// - otherwise every key of `expected` must equal the answer's, except that `reasons` lists just
///   the codes, in order, and `messages_contain` lists text that some reason's message (Persian
///   or English) must contain.
fn check(answer: &Value, expected: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let Some(expected) = expected.as_object() else {
        return vec!["expected is not an object".into()];
    };
    if let Some(err) = expected.get("error") {
        if answer["error"]["code"] != "INVALID_INPUT" {
            diffs.push(format!("expected INVALID_INPUT, got {answer}"));
        } else if answer["error"]["field"] != err["field"] {
            diffs.push(format!(
                "error field: expected {}, got {}",
                err["field"], answer["error"]["field"]
            ));
        }
        return diffs;
    }
    if answer.get("error").is_some() {
        return vec![format!("unexpected error {answer}")];
    }
    for (key, want) in expected {
        match key.as_str() {
            "reasons" => {
                let got: Vec<&Value> = answer["reasons"]
                    .as_array()
                    .map(|rs| rs.iter().map(|r| &r["code"]).collect())
                    .unwrap_or_default();
                let want: Vec<&Value> = want
                    .as_array()
                    .map(|w| w.iter().collect())
                    .unwrap_or_default();
                if got != want {
                    diffs.push(format!("reasons: expected {want:?}, got {got:?}"));
                }
            }
            "messages_contain" => {
                let messages: Vec<&str> = answer["reasons"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|r| [r["message_fa"].as_str(), r["message_en"].as_str()])
                    .flatten()
                    .collect();
                for needle in want
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !messages.iter().any(|m| m.contains(needle)) {
                        diffs.push(format!(
                            "no reason message contains {needle:?}: {messages:?}"
                        ));
                    }
                }
            }
            _ if answer.get(key) != Some(want) => {
                diffs.push(format!(
                    "{key}: expected {want}, got {}",
                    answer.get(key).unwrap_or(&Value::Null)
                ));
            }
            _ => {}
        }
    }
    diffs
}

fn answer_identity(input: &Value) -> Value {
    let kind = input["kind"].as_str().unwrap_or_default();
    let text = input["value"].as_str().unwrap_or_default();
    let result = match kind {
        "national_id" => NationalId::parse(text).map(|v| v.as_str().to_owned()),
        "mobile" => Mobile::parse(text).map(|v| v.as_str().to_owned()),
        "postal_code" => PostalCode::parse(text).map(|v| v.as_str().to_owned()),
        other => panic!("unknown identity kind {other}"),
    };
    match result {
        Ok(v) => serde_json::json!({ "valid": v }),
        Err(e) => {
            serde_json::json!({ "error": {"code": "INVALID_INPUT", "field": kind, "message": e.message_en()} })
        }
    }
}

#[test]
fn every_case_file_passes() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    let mut tools_seen = std::collections::BTreeSet::new();
    for file in &files {
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        let rule = stem.split('.').next().unwrap().to_owned();
        let cases = read_cases(file);
        assert!(!cases.is_empty(), "{} has no cases", file.display());
        tools_seen.insert(rule.clone());
        for case in cases {
            count += 1;
            let answer = if rule == "identity" {
                answer_identity(&case.input)
            } else {
                let tool =
                    Tool::from_name(&rule).unwrap_or_else(|| panic!("{}: no rule {rule}", case.at));
                tool.answer(case.input.clone())
                    .unwrap_or_else(|e| e.to_json())
            };
            for diff in check(&answer, &case.expected) {
                failures.push(format!("{} ({}): {diff}", case.at, case.name));
            }
        }
    }
    for tool in Tool::ALL.iter().map(|t| t.name()).chain(["identity"]) {
        assert!(tools_seen.contains(tool), "no case file for {tool}");
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{count} cases passed in {} files", files.len());
}
