//! The shape of a translation table (`Texts`: every text a component shows, as fields and
//! functions; its part for the page frame and the start page apart, `FrameTexts`, so that the
//! student app's main bundle carries only that) and the app's tools and services (`Tool`, with
//! their paths); `fa.rs` and `en.rs` fill one table each.

use std::ops::Deref;

use rules::{Code, Level, StudyEnd, Verdict};

/// The texts of the page frame (header, "page not found") and the start page, in one language:
/// all the student app's main bundle shows (`Lang::frame`). Every `Texts` reads through to them.
pub struct FrameTexts {
    pub app_name: &'static str,
    pub skip_link: &'static str,
    /// The switch shows the other language's name in that language.
    pub other_lang_name: &'static str,
    pub offline: &'static str,
    pub not_found: &'static str,
    pub home: &'static str,

    // Start page.
    pub start_title: &'static str,
    pub start_intro: &'static str,
    pub start_offline_note: &'static str,
    /// Shown when the browser asks to save data: the forms were not cached in advance.
    pub forms_need_online_visit: &'static str,
    pub tools_heading: &'static str,
    pub requests_heading: &'static str,
    pub tool_title: fn(Tool) -> &'static str,
    pub tool_description: fn(Tool) -> &'static str,
}

/// Every text of the app in one language (the frame's through `Deref`). Functions stand where a
/// text depends on a value.
pub struct Texts {
    pub frame: &'static FrameTexts,
    pub back: &'static str,
    pub continue_: &'static str,
    pub change: &'static str,
    pub start_again: &'static str,
    pub error_summary_title: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub day: &'static str,
    pub month: &'static str,
    pub year: &'static str,
    pub optional: &'static str,
    pub gregorian_suffix: &'static str,
    pub not_answered: &'static str,

    // Questions.
    pub step_title: fn(&str) -> &'static str,
    pub field_label: fn(&str) -> &'static str,
    pub field_hint: fn(&str) -> Option<&'static str>,
    pub level_name: fn(Level) -> &'static str,
    pub event_name: fn(StudyEnd) -> &'static str,
    pub err_choose: fn(&str) -> String,
    pub err_date_incomplete: fn(&str) -> String,
    pub err_count: fn(&str) -> String,
    pub date_error: fn(&rules::DateError) -> String,
    pub err_empty: fn(&str) -> String,
    pub err_no_file: fn(&str) -> String,

    // Check answers and result.
    pub check_title: &'static str,
    pub check_intro: &'static str,
    pub see_result: &'static str,
    pub result_title: &'static str,
    pub verdict_sentence: fn(Verdict) -> &'static str,
    pub date_label: fn(&str) -> &'static str,
    pub reasons_heading: &'static str,
    pub no_reasons: &'static str,
    pub article_label: &'static str,
    /// An article reference (`Art. 33 n.1`) as written in this language.
    pub article_text: fn(&str) -> String,
    pub explain_summary: &'static str,
    pub explain: fn(Code) -> &'static str,
    pub next_steps_heading: &'static str,
    pub next_steps: fn(Verdict) -> &'static [&'static str],
    pub abroad_heading: &'static str,
    pub abroad_lines: fn(&rules::precheck::AbroadOutcome) -> Vec<&'static str>,
    pub answers_as_of: &'static str,

    // Deadline tools.
    pub tool_intro: fn(Tool) -> &'static str,
    pub show_answer: &'static str,
    pub days_left: fn(i64) -> String,
    pub revocation_answer: fn(bool) -> &'static str,
    pub presentation_answer: fn(bool) -> &'static str,
    pub travel_answer: fn(bool) -> &'static str,
    pub option_name: fn(&str) -> &'static str,
    pub options_heading: &'static str,
    pub discharge_answer: fn(bool) -> &'static str,

    // Calendar files of a deadline (`shell::calendar`).
    /// The button's text; the date's label follows it for screen readers.
    pub calendar_button: &'static str,
    /// The event's title, by the deadline's field.
    pub calendar_event: fn(&str) -> &'static str,
    /// The alarm's text, given the event's title.
    pub calendar_reminder: fn(&str) -> String,
    /// Under the QR code of the event, at a kiosk.
    pub calendar_qr: &'static str,
    /// The last line of the event's description: where the date comes from.
    pub calendar_note: &'static str,
}

impl Deref for Texts {
    type Target = FrameTexts;

    fn deref(&self) -> &FrameTexts {
        self.frame
    }
}

/// The tools and services the start page offers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    Precheck,
    Revocation,
    Presentation,
    Travel,
    Discharge,
    ExemptionRequest,
    WithdrawalRequest,
    ClearanceRequest,
    Drafts,
    Track,
}

impl Tool {
    /// Whether the tool lives in the forms bundle (`forms.html`), reached by a full page load.
    pub fn in_forms_bundle(self) -> bool {
        matches!(
            self,
            Tool::ExemptionRequest
                | Tool::WithdrawalRequest
                | Tool::ClearanceRequest
                | Tool::Drafts
                | Tool::Track
        )
    }

    pub fn href(self) -> &'static str {
        match self {
            Tool::Precheck => "/precheck",
            Tool::Revocation => "/deadline/revocation",
            Tool::Presentation => "/deadline/presentation",
            Tool::Travel => "/travel",
            Tool::Discharge => "/discharge",
            Tool::ExemptionRequest => "/requests/exemption",
            Tool::WithdrawalRequest => "/requests/withdrawal",
            Tool::ClearanceRequest => "/requests/clearance",
            Tool::Drafts => "/drafts",
            Tool::Track => "/track",
        }
    }
}
