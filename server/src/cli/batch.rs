//! The rules subcommands' stream: JSON values in (one object, or JSON Lines), one answer line out
//! per value, in order; bad values answered with their error line and counted.

use std::io::{self, Write};

use rules::digits::to_persian_digits;
use rules::{InputError, Tool};
use serde_json::Value;

/// Answers every JSON value in `input` on its own line of `out`. Returns how many were refused
/// (bad JSON or bad input). A syntax error skips to the end of the line it is on, so one broken
/// line of a batch does not hide the lines after it.
pub fn answer_stream(tool: Tool, input: &[u8], out: &mut impl Write) -> io::Result<usize> {
    let mut refused = 0;
    let mut pos = 0;
    let mut answered_any = false;
    while pos < input.len() {
        let mut stream = serde_json::Deserializer::from_slice(&input[pos..]).into_iter::<Value>();
        let next = stream.next();
        let consumed = stream.byte_offset();
        match next {
            None => break,
            Some(Ok(value)) => {
                let answer = tool.answer(value).unwrap_or_else(|e| {
                    refused += 1;
                    e.to_json()
                });
                serde_json::to_writer(&mut *out, &answer)?;
                out.write_all(b"\n")?;
                pos += consumed;
            }
            Some(Err(err)) => {
                refused += 1;
                let line_no = line_of(input, pos) + err.line() - 1;
                let column = err.column();
                let error = InputError::new(
                    None,
                    format!("line {line_no}, column {column}: not valid JSON."),
                    to_persian_digits(&format!("سطر {line_no}، ستون {column}: JSON معتبر نیست.")),
                );
                serde_json::to_writer(&mut *out, &error.to_json())?;
                out.write_all(b"\n")?;
                pos = end_of_line(input, pos, err.line());
            }
        }
        answered_any = true;
    }
    if !answered_any {
        refused += 1;
        let error = InputError::new(
            None,
            "no input: give one JSON object, or JSON Lines.",
            "ورودی خالی است.",
        );
        serde_json::to_writer(&mut *out, &error.to_json())?;
        out.write_all(b"\n")?;
    }
    Ok(refused)
}

/// The 1-based line number of byte `pos`.
fn line_of(input: &[u8], pos: usize) -> usize {
    1 + input[..pos].iter().filter(|&&b| b == b'\n').count()
}

/// The byte after the newline ending the `line`-th line (1-based) counted from `from`.
fn end_of_line(input: &[u8], from: usize, line: usize) -> usize {
    input[from..]
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(line.saturating_sub(1))
        .map_or(input.len(), |(i, _)| from + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str) -> (Vec<Value>, usize) {
        let mut out = Vec::new();
        let refused = answer_stream(Tool::Travel, input.as_bytes(), &mut out).unwrap();
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, refused)
    }

    #[test]
    fn one_line_per_value_in_order_with_bad_lines_answered() {
        let (lines, refused) = run(concat!(
            "{\"has_valid_exemption\": true}\n",
            "{not json\n",
            "\n",
            "{\"has_valid_exemption\": false}\n",
            "{\"has_valid_exemption\": 1}\n",
        ));
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["guarantee_required"], true);
        assert_eq!(lines[1]["error"]["code"], "INVALID_INPUT");
        assert!(lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("line 2, column 2:"));
        assert_eq!(lines[2]["guarantee_required"], true);
        assert_eq!(lines[3]["error"]["field"], "has_valid_exemption");
        assert_eq!(refused, 2);
    }

    #[test]
    fn a_pretty_printed_object_is_one_value() {
        let (lines, refused) =
            run("{\n  \"has_valid_exemption\": true,\n  \"university_letter\": true\n}\n");
        assert_eq!((lines.len(), refused), (1, 0));
    }

    #[test]
    fn empty_input_is_refused() {
        let (lines, refused) = run("  \n");
        assert_eq!((lines.len(), refused), (1, 1));
    }
}
