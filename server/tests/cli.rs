//! The `pishkhan` rules subcommands run as a process: stdin, stdout, exit status.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use rules::Tool;
use serde_json::Value;

fn pishkhan(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pishkhan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pishkhan starts");
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || pipe.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    output
}

fn lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// Every input of every case file, as one JSON Lines batch per rule: the binary must answer
/// exactly as the library does, line for line, and exit 2 iff some line was refused.
#[test]
fn case_files_through_the_binary_match_the_library() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
    for tool in Tool::ALL {
        let mut inputs = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name == format!("{}.jsonl", tool.name())
                || name.starts_with(&format!("{}.", tool.name())) && name.ends_with(".jsonl")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| !l.trim().is_empty()) {
                    let case: Value = serde_json::from_str(line).unwrap();
                    inputs.push(case["input"].clone());
                }
            }
        }
        assert!(!inputs.is_empty(), "no cases for {}", tool.name());
        let batch: String = inputs.iter().map(|v| format!("{v}\n")).collect();
        let output = pishkhan(&[tool.name()], batch.as_bytes());
        let got = lines(&output);
        assert_eq!(
            got.len(),
            inputs.len(),
            "{}: one answer per line",
            tool.name()
        );
        let mut any_refused = false;
        for (input, got) in inputs.into_iter().zip(&got) {
            let want = tool.answer(input).unwrap_or_else(|e| {
                any_refused = true;
                e.to_json()
            });
            assert_eq!(got, &want, "{}", tool.name());
        }
        assert_eq!(
            output.status.code(),
            Some(if any_refused { 2 } else { 0 }),
            "{}",
            tool.name()
        );
    }
}

#[test]
fn one_good_object_exits_zero() {
    let input = br#"{
        "today": "1403-07-15", "level": "bachelor_continuous", "study_start": "1401-07-01",
        "previous_graduation": "1401-04-31", "institution_approved": true, "unjustified_absence": false
    }"#;
    let output = pishkhan(&["precheck"], input);
    assert_eq!(output.status.code(), Some(0));
    let got = lines(&output);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["verdict"], "eligible");
    assert_eq!(got[0]["exemption_until"], "1406-07-01");
}

#[test]
fn a_bad_line_is_answered_in_place_and_the_rest_still_answered() {
    let input = concat!(
        "{\"today\":\"1403-07-15\",\"event\":\"graduation\",\"event_date\":\"1402-07-15\"}\n",
        "{\"today\":\"1403-07-15\",\"event\":\"graduation\",\"event_date\":\"1404-12-30\"}\n",
        "this is not json\n",
        "{\"today\":\"1403-07-16\",\"event\":\"graduation\",\"event_date\":\"1402-07-15\"}\n",
    );
    let output = pishkhan(&["presentation"], input.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    let got = lines(&output);
    assert_eq!(got.len(), 4);
    assert_eq!(got[0]["present_by"], "1403-07-15");
    assert_eq!(got[0]["overdue"], false);
    assert_eq!(got[1]["error"]["code"], "INVALID_INPUT");
    assert_eq!(got[1]["error"]["field"], "event_date");
    assert!(got[1]["error"]["message_fa"]
        .as_str()
        .unwrap()
        .contains("اسفند ۱۴۰۴ ۲۹ روز دارد"));
    assert_eq!(got[2]["error"]["field"], Value::Null);
    assert!(got[2]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("line 3"));
    assert_eq!(got[3]["overdue"], true);
}

#[test]
fn empty_input_is_an_error() {
    let output = pishkhan(&["discharge"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(lines(&output)[0]["error"]["code"], "INVALID_INPUT");
}

#[test]
fn a_roster_of_ten_thousand_lines_gets_ten_thousand_answers() {
    let mut batch = String::new();
    for i in 0..10_000 {
        let month = i % 12 + 1;
        let day = i % 29 + 1;
        batch.push_str(&format!(
            "{{\"today\":\"1403-07-15\",\"level\":\"bachelor_continuous\",\"study_start\":\"1400-{month:02}-{day:02}\",\"previous_graduation\":\"1399-04-31\",\"institution_approved\":true,\"unjustified_absence\":false}}\n"
        ));
    }
    let output = pishkhan(&["precheck"], batch.as_bytes());
    assert_eq!(output.status.code(), Some(0));
    let got = lines(&output);
    assert_eq!(got.len(), 10_000);
    // Started after 1400-04-31: more than a year after the 1399-04-31 graduation.
    assert_eq!(got[0]["verdict"], "eligible"); // 1400-01-01
    assert_eq!(got[4]["verdict"], "ineligible"); // 1400-05-05
    assert_eq!(got[4]["reasons"][0]["code"], "ADMISSION_AFTER_ONE_YEAR");
}

#[test]
fn every_subcommand_has_help() {
    for (cmd, field) in [
        ("precheck", "study_start"),
        ("revocation", "revocations_used"),
        ("presentation", "event_date"),
        ("travel", "has_valid_exemption"),
        ("discharge", "target_level"),
        ("serve", "--addr"),
    ] {
        let output = pishkhan(&[cmd, "--help"], b"");
        assert_eq!(output.status.code(), Some(0), "{cmd}");
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(field), "{cmd} --help names {field}:\n{text}");
    }
    let output = pishkhan(&["--help"], b"");
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("precheck"));
}

#[test]
fn an_unknown_subcommand_fails_with_usage() {
    let output = pishkhan(&["nonsense"], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8(output.stderr).unwrap().contains("Usage"));
}
