//! Every English text of the app (the second language).

use rules::precheck::{AbroadOutcome, ConsularCase};
use rules::{Code, Level, StudyEnd, Verdict};

use super::table::{FrameTexts, Texts, Tool};

fn capitalise(s: String) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

pub static FRAME: FrameTexts = FrameTexts {
    app_name: "Pishkhan",
    skip_link: "Skip to main content",
    other_lang_name: "فارسی",
    offline: "You are offline; the checks still work.",
    not_found: "Page not found",
    home: "Go to the start page",

    start_title: "Pishkhan: the educational exemption counter",
    start_intro: "Check whether you can get the educational exemption from military service, until when and why; know your legal deadlines; and file and track your requests.",
    start_offline_note: "Answers are worked out on this device in under a second, and work without internet after your first visit.",
    forms_need_online_visit: "Your browser asks to save data, so the request forms and the tools (the pre-check and the deadline calculators) were not downloaded in advance: open each of them once while online to use it offline.",
    tools_heading: "Checks and deadlines",
    requests_heading: "Requests",
    tool_title: |tool| match tool {
        Tool::Precheck => "Can I get the educational exemption?",
        Tool::Revocation => "Until when can I take back my withdrawal?",
        Tool::Presentation => "Until when must I present for service?",
        Tool::Travel => "Do I need a guarantee to travel abroad?",
        Tool::Discharge => "Can I be discharged from service to study?",
        Tool::ExemptionRequest => "Educational exemption request",
        Tool::WithdrawalRequest => "Withdrawal from study request",
        Tool::ClearanceRequest => "Clearance request",
        Tool::Drafts => "My drafts",
        Tool::Track => "Track my request",
    },
    tool_description: |tool| match tool {
        Tool::Precheck => "A few short questions; the answer with its reasons, articles and the exemption's end date.",
        Tool::Revocation => "The two-month window to take back a withdrawal, and when the final ruling comes.",
        Tool::Presentation => "The one-year deadline after withdrawal, dropping out, expulsion or graduation.",
        Tool::Travel => "Temporary travel with an educational exemption, and the guarantee options.",
        Tool::Discharge => "Discharge of a conscript to study at bachelor's level or above.",
        Tool::ExemptionRequest => "File a request for the educational exemption (study in Iran).",
        Tool::WithdrawalRequest => "File a withdrawal request and upload its forms.",
        Tool::ClearanceRequest => "Settle with the university's offices to get your previous level's documents back.",
        Tool::Drafts => "Requests you have started, kept on this device.",
        Tool::Track => "See a request's status with its tracking code.",
    },
};

pub static TEXTS: Texts = Texts {
    frame: &FRAME,
    back: "Back",
    continue_: "Continue",
    change: "Change",
    start_again: "Start again",
    error_summary_title: "There is a problem",
    yes: "Yes",
    no: "No",
    day: "Day",
    month: "Month",
    year: "Year",
    optional: "optional",
    gregorian_suffix: "Gregorian",
    not_answered: "Not answered",

    step_title: |slug| match slug {
        "level" => "Level of study",
        "birth-date" => "Date of birth",
        "study-start" => "Start of study",
        "previous-graduation" => "Previous graduation",
        "institution" => "Approved institution",
        "absence" => "Absence",
        "earlier-exemption" => "Earlier exemption",
        "withdrew" => "Withdrawal",
        "renewals" => "Exemption again",
        "commission" => "Special-cases commission",
        "abroad" => "Study abroad",
        "abroad-staff" => "Child of government staff",
        "abroad-details" => "Your study abroad",
        _ => "Question",
    },
    field_label: |name| match name {
        "level" => "What level are you studying at?",
        "birth_date" => "What is your date of birth?",
        "study_start" => "When did (or will) you start studying at this level?",
        "previous_graduation" => "When did you graduate from your previous level?",
        "institution_approved" => {
            "Is your place of study approved by the ministry of science, of health or of education?"
        }
        "unjustified_absence" => {
            "Are you absent (did you miss your deadline to present for service)?"
        }
        "prior_exemption_same_level" => {
            "Have you had the educational exemption at this level before?"
        }
        "withdrew_from_same_level" => "Did you withdraw from that level?",
        "withdrawn_renewals_used" => {
            "Since withdrawing, how many times have you been exempted again at this level?"
        }
        "commission_extension" => {
            "Has your university's special-cases commission granted you a one-year extension?"
        }
        "abroad" => "Do you study at a university abroad?",
        "abroad.parent_permanent_government_staff" => {
            "Is your parent permanent government staff posted abroad?"
        }
        "abroad.semesters_completed" => "How many semesters have you completed?",
        "abroad.exit_date" => "Date you left Iran",
        "abroad.university_entry" => "Date you entered the university",
        "submitted" => "When did you submit your withdrawal request?",
        "revocations_used" => "How many times have you taken back a withdrawal so far?",
        "event" => "What ended your study?",
        "event_date" => "Its date",
        "has_valid_exemption" => "Do you hold a valid educational exemption?",
        "admitted_via_national_exam" => {
            "Were you admitted through the national entrance exam (konkur)?"
        }
        "university_letter" => "Has your university introduced you in writing for the trip?",
        "seminary_council_confirmation" => {
            "Has the Qom seminary council or its provincial office confirmed your trip in writing?"
        }
        "had_initial_absence" => "Were you absent before you started service?",
        "target_level" => "At what level have you been admitted to continue studying?",
        "emergency_or_war" => "Has an emergency or war been declared?",
        _ => "",
    },
    field_hint: |name| {
        match name {
        "birth_date" | "study_start" | "abroad.exit_date" | "abroad.university_entry" | "submitted" | "event_date" => {
            Some("Solar Hijri (Jalali) date, for example 15 7 1403. Persian or Latin digits.")
        }
        "previous_graduation" => Some("For your first university level, the date of your diploma. Leave it empty if you do not know; the one-year window is then not checked."),
        "unjustified_absence" => Some("You are absent if you did not present yourself within the legal deadline after reaching conscription age or after an exemption ended."),
        "institution_approved" => Some("State and non-state institutions in Iran or abroad approved by these ministries, and seminaries."),
        "commission_extension" => Some("In necessary cases the commission may add at most one year to the allowed period."),
        "withdrawn_renewals_used" | "revocations_used" | "abroad.semesters_completed" => Some("A number, for example 0."),
        _ => None,
    }
    },
    level_name: |level| match level {
        Level::School => "School student",
        Level::Associate => "Associate degree",
        Level::BachelorNoncontinuous => "Non-continuous bachelor's",
        Level::MasterNoncontinuous => "Non-continuous master's",
        Level::BachelorContinuous => "Continuous bachelor's",
        Level::MasterContinuous => "Continuous master's",
        Level::MedicalDoctorate => "Professional doctorate in medicine",
        Level::Phd => "PhD",
        Level::Seminary => "Seminary student",
    },
    event_name: |event| match event {
        StudyEnd::Withdrawal => "Withdrawal",
        StudyEnd::Dropout => "Dropping out",
        StudyEnd::Expulsion => "Expulsion",
        StudyEnd::Graduation => "Graduation",
    },
    err_choose: |label| format!("Choose an answer: {label}"),
    err_date_incomplete: |label| format!("Enter the day, month and year: {label}"),
    err_count: |label| format!("Enter numbers only: {label}"),
    date_error: |e| capitalise(e.message_en()),
    err_empty: |label| format!("Enter this: {label}"),
    err_no_file: |label| format!("Choose a file: {label}"),

    check_title: "Check your answers",
    check_intro: "Change any answer that is wrong. The result is worked out from these answers.",
    see_result: "See the result",
    result_title: "Your educational exemption check",
    verdict_sentence: |v| match v {
        Verdict::Eligible => {
            "From your answers, you meet the conditions for the educational exemption."
        }
        Verdict::Ineligible => "From your answers, you cannot get the educational exemption.",
        Verdict::NeedsReview => "Your case must be reviewed by a person.",
    },
    date_label: |field| match field {
        "exemption_until" => "Exemption until",
        "study_until" => "End of the allowed period",
        "study_until_with_commission" => "End with the commission's extension",
        "revocation_deadline" => "Last day to take back the withdrawal",
        "final_ruling_from" => "Final ruling from",
        "present_by" => "Last day to present for service",
        _ => "",
    },
    reasons_heading: "Reasons",
    no_reasons: "Nothing in your answers stands in the way.",
    article_label: "Source",
    article_text: |a| a.replace(" (seed 001)", ""),
    explain_summary: "What this rule says, simply",
    explain: |code| {
        match code {
        Code::InstitutionNotApproved => "Article 31 of the Public Conscription Law gives the exemption only to students of schools and universities approved by the ministries of education, science or health, and to seminary students.",
        Code::UnjustifiedAbsence => "Article 35 gives the exemption only to conscripts who are not absent. If you missed your deadline to present, your absence must be settled first.",
        Code::AdmissionAfterOneYear => "You must be admitted and start the new level at most one year after graduating from the previous level (or your diploma). The last day of that year is still in time; the day after is late.",
        Code::ExemptionAlreadyUsedForLevel => "The exemption is given once per level. If you already had it at this level, it is not given again, except after a withdrawal (Art. 35 note 1).",
        Code::WithdrawnRenewalUsed => "After withdrawing from a level you may be exempted at that level once more. You have already used that once.",
        Code::WithdrawnRenewalAllowed => "After withdrawing from a level you may be exempted at that level once more. You still have that chance.",
        Code::AllowedYearsExceeded => "Art. 33 note 1 caps each level from the start of study: associate 2.5 years, non-continuous bachelor's and master's 3, continuous bachelor's 5, continuous master's 6, medical doctorate 8, PhD 6. The exemption ends there.",
        Code::CommissionExtension => "Art. 33 note 2: in necessary cases the university's special-cases commission may add at most one year. You are now inside that year.",
        Code::SchoolAgeLimit => "Art. 33 note 1: school students are exempt until they turn twenty; from the day after the 20th birthday they are not.",
        Code::SeminaryNotCovered => "The law sets no maximum period for seminary students, so a conscription expert must decide.",
        Code::AbroadStaffChildExemption => "Consular rules, case (a): a child of permanent government staff with at most 4 semesters completed, who entered university within a year of leaving Iran, gets an exit permit and the exemption, with the same cap as in Iran.",
        Code::AbroadStaffChildNoExemption => "Consular rules, case (b) and Art. 103 note 2: if either condition of case (a) fails, there is no exemption, but an exit permit with the foreign ministry's approval and a written undertaking while the parent's mission lasts.",
        Code::AbroadNotCovered => "Article 35 is about study in Iran and the consular rules cover only children of permanent government staff; anyone else studying abroad needs a case-by-case review.",
        Code::PresentationDeadlinePassed => "Art. 34 note 1: after withdrawal, dropping out, expulsion or graduation you have at most one year to present for service; after that you count as absent.",
        Code::RevocationWindowOpen => "Withdrawal procedure, note 2: a student may take back a withdrawal only once, and at most two months after submitting it.",
        Code::RevocationDeadlinePassed => "After the two months the final withdrawal ruling is issued and it can no longer be taken back.",
        Code::RevocationAlreadyUsed => "A withdrawal may be taken back only once.",
        Code::TravelNoGuarantee => "Art. 103 note 3: a student with a valid exemption, admitted through the national exam and introduced in writing by the university (or a seminary student confirmed in writing by the seminary council), travels temporarily without a guarantee while the exemption card is valid.",
        Code::TravelGuaranteeRequired => "Art. 103: everyone else leaves a cash deposit or a bank guarantee, forfeited if they return late.",
        Code::WrittenUndertakingPossible => "Art. 103 note 1: where neither a deposit nor a bank guarantee is possible, the office may accept a written undertaking.",
        Code::DischargeForStudyAllowed => "Art. 35 note 2: a conscript with no absence before service may be discharged to study at bachelor's level or above, except in emergencies and war.",
        Code::InitialAbsence => "Discharge to study is only for those who were not absent before starting service.",
        Code::LevelBelowBachelor => "Discharge is only to study at bachelor's level or above.",
        Code::EmergencyOrWar => "In emergencies and war there is no discharge to study.",
    }
    },
    next_steps_heading: "What to do next",
    next_steps: |v| {
        match v {
        Verdict::Eligible => &[
            "If you have a Sakha code: sign in to the police e-services system with your national ID (username) and Sakha code (password), choose \"educational exemption, students inside the country\", enter and confirm your details and pay the service fee at the bank gateway; an initial registration permit is issued and the request goes to your university.",
            "If you have no Sakha code: go to a police e-services office with your national ID card and the provisional admission printout from the national testing organisation (Sanjesh).",
            "Turn on SMS notifications so you learn when the request is returned for editing or the exemption is issued.",
            "This is a first check; the university and the conscription office decide.",
        ],
        Verdict::Ineligible => &[
            "With these answers the system issues no registration permit.",
            "If you believe an exception applies, you may file a justification request; the conscription deputy decides on it.",
            "If your deadline to present has passed or is near, present yourself to the conscription office as soon as you can.",
        ],
        Verdict::NeedsReview => &[
            "Go to a police e-services office with your national ID card and your study documents; they register the request and send it to the conscription office for review.",
            "Bring the answers on this page with you.",
        ],
    }
    },
    abroad_heading: "Study abroad",
    abroad_lines,
    answers_as_of: "This result is for",

    tool_intro: |tool| {
        match tool {
        Tool::Revocation => "A student may take back a withdrawal only once, and at most two months after submitting it. Enter the date you submitted it to see the deadline and when the final ruling comes.",
        Tool::Presentation => "After withdrawal, dropping out, expulsion or graduation you have one year to present yourself for service.",
        Tool::Travel => "See whether you must leave a guarantee to travel abroad temporarily.",
        Tool::Discharge => "See whether you can be discharged from service to continue studying.",
        _ => "",
    }
    },
    show_answer: "Show the answer",
    days_left: |n| match n {
        0 => "Today is the last day.".to_owned(),
        1 => "1 day left.".to_owned(),
        n if n > 0 => format!("{n} days left."),
        -1 => "1 day past the deadline.".to_owned(),
        n => format!("{} days past the deadline.", -n),
    },
    revocation_answer: |can| {
        if can {
            "You can still take back your withdrawal."
        } else {
            "You can no longer take back your withdrawal."
        }
    },
    presentation_answer: |overdue| {
        if overdue {
            "Your deadline to present for service has passed."
        } else {
            "You are still within your deadline to present for service."
        }
    },
    travel_answer: |required| {
        if required {
            "You must leave a guarantee to travel."
        } else {
            "You can travel without a guarantee."
        }
    },
    option_name: |o| {
        match o {
        "cash_deposit" => "Cash deposit",
        "bank_guarantee" => "Bank guarantee",
        "written_undertaking" => "Written undertaking (only where the other two are impossible, at the office's discretion)",
        _ => "",
    }
    },
    options_heading: "Guarantee options",
    discharge_answer: |allowed| {
        if allowed {
            "You can be discharged to continue studying."
        } else {
            "Discharge to continue studying is not possible."
        }
    },
};

fn abroad_lines(a: &AbroadOutcome) -> Vec<&'static str> {
    match a.case {
        ConsularCase::A => vec![
            "Case (a) of the consular rules applies to you.",
            "An exit permit is issued.",
            "You get the educational exemption.",
            "The study cap is the one of the same level in Iran.",
            "At the end of study, if you present on time and without absence, you get a dispatch sheet.",
        ],
        ConsularCase::B => vec![
            "Case (b) of the consular rules (Art. 103 note 2) applies to you.",
            "An exit permit is issued with the foreign ministry's approval and a written undertaking, while your parent's mission lasts.",
            "No educational exemption is given.",
            "The study cap is the one of the same level in Iran.",
            "At the end, if you present on time and without absence, you get a dispatch sheet.",
        ],
    }
}
