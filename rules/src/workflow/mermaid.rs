//! The machines drawn as Mermaid state diagrams, for `docs/workflows.md`.

use std::fmt::Write;

use super::{edges, end_states, start, Action, Process, State};
use crate::requests::default_offices;

fn node(state: &State) -> String {
    state
        .id()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A `stateDiagram-v2` of `process` (clearance with seed 002's offices): one arrow per row of
/// [`edges`], labelled `action (role)`.
pub fn mermaid(process: Process) -> String {
    let offices = default_offices();
    let mut out = String::from("stateDiagram-v2\n");
    let first = start(process, &offices, true);
    let _ = writeln!(out, "    [*] --> {}", node(&first));
    for e in edges(process, &offices) {
        let when = match (e.action, &e.to) {
            (Action::ReturnForEdit, State::ReturnedForEdit) => ", if editable",
            (Action::ReturnForEdit, _) => ", if not editable",
            (Action::Forward, State::AtOffice(id))
                if offices.iter().any(|o| &o.id == id && o.evening_course_only) =>
            {
                ", evening course only"
            }
            _ => "",
        };
        let _ = writeln!(
            out,
            "    {} --> {} : {} ({}){when}",
            node(&e.from),
            node(&e.to),
            e.action.id(),
            e.role.id().replace(':', " ")
        );
    }
    for end in end_states(process) {
        let _ = writeln!(out, "    {} --> [*]", node(&end));
    }
    out
}

/// The whole of `docs/workflows.md`: an introduction and one diagram per process.
pub fn workflows_doc() -> String {
    let mut out = String::from(
        "# Workflows\n\n\
         Generated from `rules/src/workflow/` by `cargo test -p rules workflow` with\n\
         `UPDATE_DOCS=1`; do not edit by hand. Each arrow is one allowed move: `action (role)`.\n\
         The processes are described in `shared/spec/processes.md`; guards (the ruling not before\n\
         `final_ruling_from`, one revocation inside the window, the data dormitory and welfare\n\
         must record, the evening-course office only for evening-course students, …) are in\n\
         `rules/src/workflow/guards.rs`. Clearance is drawn with seed 002's default offices.\n",
    );
    for process in Process::ALL {
        let title = match process {
            Process::ExemptionA1 => "Exemption A1: over the internet (seed 000)",
            Process::ExemptionA2 => "Exemption A2: at a police e-services office (seed 000)",
            Process::Withdrawal => "Withdrawal from study (seed 001)",
            Process::Clearance => "Clearance (seed 002)",
        };
        let _ = write!(
            out,
            "\n## {title} — `{}`\n\n```mermaid\n{}```\n",
            process.id(),
            mermaid(process)
        );
    }
    out
}
