//! The three request forms as data (`shared/spec/processes.md`: seed 000 A1 steps 1–5, seed 001
//! step 1, seed 002 step 1): their pages in order, which pages apply to the answers so far, where
//! "continue" and "back" lead, and the answers checked by `rules` — the same checks the server
//! runs on submission.

use rules::contract::{decode, RawPrecheck};
use rules::precheck::{precheck, PrecheckInput, PrecheckOutcome};
use rules::requests::{
    check_clearance, check_exemption, check_withdrawal, RawClearanceRequest, RawExemptionRequest,
    RawWithdrawalRequest, RequestKind,
};
use rules::{InputError, JalaliDate, Level};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::shell::form::{
    dom_id, to_json, validate_all, Answers, Field, FieldError, Kind, Problem,
};

/// One page of a request form: one question or one tight group.
#[derive(Debug)]
pub struct Page {
    /// The path segment: `/requests/<form>/<draft id>/<slug>`.
    pub slug: &'static str,
    pub fields: &'static [Field],
    /// Whether the page is asked, given the answers so far.
    pub applies: fn(&Answers) -> bool,
    /// The form cannot go on past this page (it says what to do instead; the draft is kept).
    pub ends_form: bool,
}

const fn page(slug: &'static str, fields: &'static [Field]) -> Page {
    Page {
        slug,
        fields,
        applies: always,
        ends_form: false,
    }
}

const fn page_if(
    slug: &'static str,
    fields: &'static [Field],
    applies: fn(&Answers) -> bool,
) -> Page {
    Page {
        slug,
        fields,
        applies,
        ends_form: false,
    }
}

fn always(_: &Answers) -> bool {
    true
}

/// A request form.
#[derive(Debug)]
pub struct RequestForm {
    pub kind: RequestKind,
    /// `exemption`, `withdrawal` or `clearance`: the route segment and the drafts' `kind`.
    pub slug: &'static str,
    pub pages: &'static [Page],
    /// Fields answered on the check-answers page itself (the exemption's justification).
    pub check_fields: &'static [Field],
}

/// The university levels (every level of `Level::ALL` but school, the first), as contract ids.
pub const UNIVERSITY_LEVELS: &[&str] = &level_ids::<{ Level::ALL.len() - 1 }>(None);

/// What the previous level can be: a diploma or a university level.
pub const PREVIOUS_LEVELS: &[&str] = &level_ids::<{ Level::ALL.len() }>(Some("diploma"));

/// `first` (if any), then the ids of every university level, in `Level::ALL`'s order.
const fn level_ids<const N: usize>(first: Option<&'static str>) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    if let Some(first) = first {
        out[0] = first;
        i = 1;
    }
    let mut level = 1;
    while i < N {
        out[i] = Level::ALL[level].id();
        i += 1;
        level += 1;
    }
    out
}

/// The national ID's field name.
pub const NATIONAL_ID: &str = "national_id";

/// The mobile number's field name (where the one-time code of the applicant's actions goes).
pub const MOBILE: &str = "mobile";

/// What a withdrawal or clearance carries beside its answers (`{kind, national_id, mobile,
/// answers}`): asked by the form like any field, left out of the answers, checked by
/// `rules::identity`. An exemption has them among its answers.
pub const BESIDE_ANSWERS: [&str; 2] = [NATIONAL_ID, MOBILE];

pub const CARD_OPTIONS: &[&str] = &["handed_in", "lost"];
pub const CLEARANCE_REASONS: &[&str] = &["expulsion", "withdrawal", "not_registered"];

fn no_sakha(a: &Answers) -> bool {
    a.get("has_sakha_code") == "false"
}

fn asked_withdrew(a: &Answers) -> bool {
    a.is_yes("prior_exemption_same_level")
}

fn asked_renewals(a: &Answers) -> bool {
    a.is_yes("prior_exemption_same_level") && a.is_yes("withdrew_from_same_level")
}

fn asked_commission(a: &Answers) -> bool {
    a.get("level") != "seminary"
}

/// Seed 000, path A1 (steps 1–4); step 5 (the pre-check) is on the check-answers page.
pub static EXEMPTION: RequestForm = RequestForm {
    kind: RequestKind::Exemption,
    slug: "exemption",
    pages: &[
        page("sakha", &[Field::new("has_sakha_code", Kind::YesNo)]),
        Page {
            slug: "no-sakha",
            fields: &[],
            applies: no_sakha,
            ends_form: true,
        },
        page("national-id", &[Field::new("national_id", Kind::Digits)]),
        page(
            "mobile",
            &[
                Field::new("mobile", Kind::Digits),
                Field::new("sms_opt_in", Kind::YesNo),
            ],
        ),
        page(
            "residence",
            &[
                Field::new("residence_province", Kind::Text),
                Field::new("residence_city", Kind::Text),
                Field::new("residence_address", Kind::LongText),
                Field::optional("postal_code", Kind::Digits),
            ],
        ),
        page("relatives", &[Field::optional("relatives", Kind::LongText)]),
        page(
            "previous",
            &[
                Field::new("previous_level", Kind::Choice(PREVIOUS_LEVELS)),
                Field::new("previous_graduation", Kind::Date),
            ],
        ),
        page("university", &[Field::new("university", Kind::University)]),
        page(
            "level",
            &[Field::new("level", Kind::Choice(UNIVERSITY_LEVELS))],
        ),
        page("study-start", &[Field::new("study_start", Kind::Date)]),
        page(
            "field",
            &[
                Field::new("field_of_study", Kind::Text),
                Field::optional("specialisation", Kind::Text),
            ],
        ),
        page(
            "institution",
            &[Field::new("institution_approved", Kind::YesNo)],
        ),
        page("absence", &[Field::new("unjustified_absence", Kind::YesNo)]),
        page(
            "earlier-exemption",
            &[Field::new("prior_exemption_same_level", Kind::YesNo)],
        ),
        page_if(
            "withdrew",
            &[Field::new("withdrew_from_same_level", Kind::YesNo)],
            asked_withdrew,
        ),
        page_if(
            "renewals",
            &[Field::new("withdrawn_renewals_used", Kind::Count)],
            asked_renewals,
        ),
        page_if(
            "commission",
            &[Field::new("commission_extension", Kind::YesNo)],
            asked_commission,
        ),
    ],
    check_fields: &[Field::optional("justification", Kind::LongText)],
};

fn early(a: &Answers) -> bool {
    a.is_yes("early_withdrawal")
}

fn card_lost(a: &Answers) -> bool {
    a.get("student_card") == "lost"
}

/// Seed 001, step 1 (and its note on a lost student card).
pub static WITHDRAWAL: RequestForm = RequestForm {
    kind: RequestKind::Withdrawal,
    slug: "withdrawal",
    pages: &[
        page(
            "student-number",
            &[Field::new("student_number", Kind::Digits)],
        ),
        page("national-id", &[Field::new("national_id", Kind::Digits)]),
        page("mobile", &[Field::new("mobile", Kind::Digits)]),
        page("faculty", &[Field::new("faculty", Kind::Text)]),
        page(
            "level",
            &[Field::new("level", Kind::Choice(UNIVERSITY_LEVELS))],
        ),
        page("reason", &[Field::new("reason", Kind::LongText)]),
        page(
            "withdrawal-form",
            &[Field::new("withdrawal_form", Kind::File)],
        ),
        page("early", &[Field::new("early_withdrawal", Kind::YesNo)]),
        page_if(
            "early-form",
            &[Field::new("early_withdrawal_form", Kind::File)],
            early,
        ),
        page(
            "student-card",
            &[Field::new("student_card", Kind::Choice(CARD_OPTIONS))],
        ),
        page_if(
            "duplicate-card",
            &[Field::new("duplicate_card_requested", Kind::YesNo)],
            card_lost,
        ),
        page_if(
            "undertaking",
            &[Field::new("notarised_undertaking", Kind::File)],
            card_lost,
        ),
    ],
    check_fields: &[],
};

/// Seed 002, step 1.
pub static CLEARANCE: RequestForm = RequestForm {
    kind: RequestKind::Clearance,
    slug: "clearance",
    pages: &[
        page("national-id", &[Field::new("national_id", Kind::Digits)]),
        page("mobile", &[Field::new("mobile", Kind::Digits)]),
        page(
            "reason",
            &[Field::new("reason", Kind::Choice(CLEARANCE_REASONS))],
        ),
        page(
            "evening-course",
            &[Field::new("evening_course", Kind::YesNo)],
        ),
    ],
    check_fields: &[],
};

pub static ALL: [&RequestForm; 3] = [&EXEMPTION, &WITHDRAWAL, &CLEARANCE];

/// Where a link leads inside a form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// The drafts list (before the first page).
    Drafts,
    Page(&'static str),
    Check,
}

impl Target {
    /// The path for a draft of `form`.
    pub fn href(self, form: &RequestForm, draft_id: &str) -> String {
        match self {
            Target::Drafts => "/drafts".into(),
            Target::Page(slug) => format!("/requests/{}/{draft_id}/{slug}", form.slug),
            Target::Check => format!("/requests/{}/{draft_id}/check", form.slug),
        }
    }
}

impl RequestForm {
    pub fn from_slug(slug: &str) -> Option<&'static RequestForm> {
        ALL.iter().copied().find(|f| f.slug == slug)
    }

    pub fn page(&self, slug: &str) -> Option<&'static Page> {
        let pages: &'static [Page] = self.pages;
        pages.iter().find(|p| p.slug == slug)
    }

    /// The pages that apply to these answers, in order, up to a page that ends the form.
    pub fn sequence(&self, answers: &Answers) -> Vec<&'static Page> {
        let pages: &'static [Page] = self.pages;
        let mut seq = Vec::new();
        for p in pages.iter().filter(|p| (p.applies)(answers)) {
            seq.push(p);
            if p.ends_form {
                break;
            }
        }
        seq
    }

    /// Whether the answers lead to a page that ends the form.
    pub fn ended(&self, answers: &Answers) -> Option<&'static Page> {
        self.sequence(answers).into_iter().find(|p| p.ends_form)
    }

    /// The fields that count for these answers: those of the applicable pages, then the
    /// check page's.
    pub fn fields(&self, answers: &Answers) -> Vec<Field> {
        self.sequence(answers)
            .into_iter()
            .flat_map(|p| p.fields.iter().copied())
            .chain(self.check_fields.iter().copied())
            .collect()
    }

    /// The page after `page`: the next applicable one, or the check-answers page. Coming from
    /// the check-answers page (`returning`): the first page still unanswered, else back there.
    pub fn next(&self, page: &Page, answers: &Answers, returning: bool) -> Target {
        if returning {
            return self
                .first_unanswered(answers)
                .map_or(Target::Check, |p| Target::Page(p.slug));
        }
        self.sequence(answers)
            .into_iter()
            .skip_while(|p| p.slug != page.slug)
            .nth(1)
            .map_or(Target::Check, |p| Target::Page(p.slug))
    }

    /// The page before `page` (the drafts list before the first).
    pub fn back(&self, page: &Page, answers: &Answers) -> Target {
        let seq = self.sequence(answers);
        match seq.iter().position(|p| p.slug == page.slug) {
            Some(0) | None => Target::Drafts,
            Some(i) => Target::Page(seq[i - 1].slug),
        }
    }

    /// The last applicable page, where "back" leads from the check-answers page.
    pub fn last_page(&self, answers: &Answers) -> &'static Page {
        self.sequence(answers)
            .last()
            .copied()
            .unwrap_or(&self.pages[0])
    }

    /// The first applicable page with a missing or malformed answer (the form's own checks,
    /// not yet the rules'): where a resumed draft opens.
    pub fn first_unanswered(&self, answers: &Answers) -> Option<&'static Page> {
        self.sequence(answers)
            .into_iter()
            .find(|p| p.ends_form || !validate_all(p.fields, answers).is_empty())
    }

    /// How many of the applicable pages are answered, of how many.
    pub fn progress(&self, answers: &Answers) -> (usize, usize) {
        let seq = self.sequence(answers);
        let done = seq
            .iter()
            .filter(|p| !p.ends_form && validate_all(p.fields, answers).is_empty())
            .count();
        (done, seq.len())
    }

    /// The answers as the rules' (and the server's) JSON input. The national ID and mobile are
    /// part of an exemption request; a withdrawal or clearance carries them beside its answers
    /// (the server needs them for lookups and one-time codes), so they are left out here and
    /// checked on their own.
    pub fn to_json(&self, answers: &Answers) -> Value {
        let mut json = to_json(&self.fields(answers), answers, &[]);
        if self.kind != RequestKind::Exemption {
            if let Some(object) = json.as_object_mut() {
                for name in BESIDE_ANSWERS {
                    object.remove(name);
                }
            }
        }
        json
    }

    /// A stored request's answers (the JSON [`RequestForm::to_json`] made) as a draft's answers:
    /// every field of every page is read, so the pages that apply come out as they were.
    pub fn answers_from(&self, json: &Value) -> Answers {
        let pages: &'static [Page] = self.pages;
        let all = pages
            .iter()
            .flat_map(|p| p.fields.iter())
            .chain(self.check_fields.iter());
        crate::shell::form::from_json(all, json)
    }

    /// The problems with what a withdrawal or clearance carries beside its answers (an
    /// exemption's are checked with the rest of its answers).
    fn beside_errors(&self, answers: &Answers) -> Vec<InputError> {
        if self.kind == RequestKind::Exemption {
            return Vec::new();
        }
        BESIDE_ANSWERS
            .into_iter()
            .filter_map(|name| {
                let value = answers.get(name).trim();
                if value.is_empty() {
                    return Some(InputError::new(
                        Some(name),
                        format!("{name}: required."),
                        format!("{name}: لازم است."),
                    ));
                }
                let refused = match name {
                    NATIONAL_ID => rules::identity::NationalId::parse(value).err(),
                    _ => rules::identity::Mobile::parse(value).err(),
                };
                refused.map(|e| {
                    InputError::new(
                        Some(name),
                        format!("{name}: {}", e.message_en()),
                        format!("{name}: {}", e.message_fa()),
                    )
                })
            })
            .collect()
    }

    /// Every problem the rules find in the answers, as of `today`.
    pub fn rule_errors(&self, answers: &Answers, today: JalaliDate) -> Vec<InputError> {
        let json = self.to_json(answers);
        let mut errors = self.beside_errors(answers);
        let found = match self.kind {
            RequestKind::Exemption => {
                raw::<RawExemptionRequest>(json).and_then(|r| check_exemption(r, today).map(drop))
            }
            RequestKind::Withdrawal => {
                raw::<RawWithdrawalRequest>(json).and_then(|r| check_withdrawal(r).map(drop))
            }
            RequestKind::Clearance => {
                raw::<RawClearanceRequest>(json).and_then(|r| check_clearance(r).map(drop))
            }
        }
        .err()
        .unwrap_or_default();
        errors.extend(found);
        errors
    }

    /// The problems of the fields in `fields`: the form's own checks first (which name the
    /// exact date part), then the rules' on the whole request.
    pub fn errors_in(
        &self,
        fields: &[Field],
        answers: &Answers,
        today: JalaliDate,
    ) -> Vec<FieldError> {
        let own = validate_all(fields, answers);
        // A form that cannot go on (no Sakha code) is not checked further: its last page says
        // what to do instead.
        if !own.is_empty() || self.ended(answers).is_some() {
            return own;
        }
        self.rule_errors(answers, today)
            .into_iter()
            .filter_map(|e| field_error(fields, &e))
            .collect()
    }

    /// Every problem of the whole request, with the page it is on (`None`: the check page).
    pub fn all_errors(
        &self,
        answers: &Answers,
        today: JalaliDate,
    ) -> Vec<(Option<&'static Page>, FieldError)> {
        let mut found = Vec::new();
        for p in self.sequence(answers) {
            found.extend(
                validate_all(p.fields, answers)
                    .into_iter()
                    .map(|e| (Some(p), e)),
            );
        }
        found.extend(
            validate_all(self.check_fields, answers)
                .into_iter()
                .map(|e| (None, e)),
        );
        if !found.is_empty() {
            return found;
        }
        self.rule_errors(answers, today)
            .iter()
            .filter_map(|e| self.locate(answers, e))
            .collect()
    }

    /// Where an error of the rules (or of the server, which runs the same rules) belongs: the
    /// page with its field (`None`: the check page), and the error as that field's.
    pub fn locate(
        &self,
        answers: &Answers,
        error: &InputError,
    ) -> Option<(Option<&'static Page>, FieldError)> {
        self.sequence(answers)
            .into_iter()
            .find_map(|p| Some((Some(p), field_error(p.fields, error)?)))
            .or_else(|| Some((None, field_error(self.check_fields, error)?)))
    }
}

/// The answers of an exemption request the pre-check reads.
const PRECHECK_FIELDS: [&str; 9] = [
    "level",
    "study_start",
    "previous_graduation",
    "institution_approved",
    "unjustified_absence",
    "prior_exemption_same_level",
    "withdrew_from_same_level",
    "withdrawn_renewals_used",
    "commission_extension",
];

/// Seed 000 step 5: the pre-check of `rules.md` §3 on an exemption request's answers, as of
/// `today` (`None` until they are complete). The same outcome `check_exemption` computes.
pub fn exemption_precheck(answers: &Answers, today: JalaliDate) -> Option<PrecheckOutcome> {
    let fields: Vec<Field> = EXEMPTION
        .fields(answers)
        .into_iter()
        .filter(|f| PRECHECK_FIELDS.contains(&f.name))
        .collect();
    if !validate_all(&fields, answers).is_empty() {
        return None;
    }
    let json = to_json(
        &fields,
        answers,
        &[
            ("today", today.to_machine().into()),
            ("abroad", Value::Null),
        ],
    );
    let input: PrecheckInput = decode::<RawPrecheck, _>(json).ok()?;
    Some(precheck(&input))
}

fn raw<T: DeserializeOwned>(json: Value) -> Result<T, Vec<InputError>> {
    rules::contract::decode_raw(json).map_err(|e| vec![e])
}

/// A rules error as an error of one of `fields` (its name, or a part of it such as
/// `withdrawal_form.size`); `None` when it is about another field.
fn field_error(fields: &[Field], error: &InputError) -> Option<FieldError> {
    let name = error.field.as_deref()?;
    let field = fields.iter().find(|f| {
        name == f.name
            || name
                .strip_prefix(f.name)
                .is_some_and(|rest| rest.starts_with('.'))
    })?;
    let strip = |m: &str| {
        m.strip_prefix(name)
            .and_then(|m| m.strip_prefix(": "))
            .unwrap_or(m)
            .to_owned()
    };
    let focus = match field.kind {
        Kind::Date => format!("{}.day", field.name),
        _ => field.name.to_owned(),
    };
    Some(FieldError {
        field: field.name,
        focus_id: dom_id(&focus),
        problem: Problem::Rule {
            fa: strip(&error.message_fa),
            en: strip(&error.message_en),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;
    use rules::Level;

    fn today() -> JalaliDate {
        JalaliDate::new(1403, 7, 15).unwrap()
    }

    /// A complete exemption request, eligible on 1403-07-15.
    pub fn exemption_answers() -> Answers {
        answers(&[
            ("has_sakha_code", "true"),
            ("national_id", "۰۰۸۴۵۷۵۹۴۸"),
            ("mobile", "09121234567"),
            ("sms_opt_in", "true"),
            ("residence_province", "تهران"),
            ("residence_city", "تهران"),
            ("residence_address", "خیابان انقلاب"),
            ("previous_level", "diploma"),
            ("previous_graduation.day", "31"),
            ("previous_graduation.month", "4"),
            ("previous_graduation.year", "1403"),
            ("university", "دانشگاه تهران"),
            ("level", "bachelor_continuous"),
            ("study_start.day", "1"),
            ("study_start.month", "7"),
            ("study_start.year", "1403"),
            ("field_of_study", "ریاضی"),
            ("institution_approved", "true"),
            ("unjustified_absence", "false"),
            ("prior_exemption_same_level", "false"),
            ("commission_extension", "false"),
        ])
    }

    #[test]
    fn level_lists_are_the_rules_ids() {
        for id in UNIVERSITY_LEVELS {
            assert!(
                Level::from_id(id).is_some_and(|l| l != Level::School),
                "{id}"
            );
        }
        assert_eq!(&PREVIOUS_LEVELS[1..], UNIVERSITY_LEVELS);
    }

    #[test]
    fn a_complete_exemption_has_no_errors_and_matches_the_rules_contract() {
        let a = exemption_answers();
        assert_eq!(EXEMPTION.first_unanswered(&a).map(|p| p.slug), None);
        assert!(EXEMPTION.all_errors(&a, today()).is_empty());
        assert_eq!(EXEMPTION.progress(&a), (14, 14));
        let json = EXEMPTION.to_json(&a);
        assert_eq!(json["previous_graduation"], "1403-04-31");
        assert_eq!(json["has_sakha_code"], true);
        assert!(json.get("withdrawn_renewals_used").is_none());
    }

    #[test]
    fn a_stored_request_opens_again_with_the_same_answers() {
        let a = exemption_answers();
        let json = EXEMPTION.to_json(&a);
        let back = EXEMPTION.answers_from(&json);
        assert_eq!(EXEMPTION.to_json(&back), json);
        assert_eq!(back.get("study_start.month"), "7");
        assert_eq!(back.get("institution_approved"), "true");
        assert_eq!(EXEMPTION.first_unanswered(&back).map(|p| p.slug), None);
    }

    #[test]
    fn no_sakha_code_ends_the_form_and_keeps_going_back() {
        let a = answers(&[("has_sakha_code", "false")]);
        let seq: Vec<_> = EXEMPTION.sequence(&a).iter().map(|p| p.slug).collect();
        assert_eq!(seq, ["sakha", "no-sakha"]);
        assert_eq!(EXEMPTION.ended(&a).map(|p| p.slug), Some("no-sakha"));
        let sakha = EXEMPTION.page("sakha").unwrap();
        assert_eq!(EXEMPTION.next(sakha, &a, false), Target::Page("no-sakha"));
        assert_eq!(EXEMPTION.back(sakha, &a), Target::Drafts);
        assert!(EXEMPTION.errors_in(sakha.fields, &a, today()).is_empty());
    }

    #[test]
    fn rules_errors_land_on_their_page() {
        let mut a = exemption_answers();
        a.set("national_id", "0084575949".into());
        let page = EXEMPTION.page("national-id").unwrap();
        let errors = EXEMPTION.errors_in(page.fields, &a, today());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "national_id");
        let Problem::Rule { fa, en } = &errors[0].problem else {
            panic!("{errors:?}")
        };
        assert!(!fa.starts_with("national_id"), "{fa}");
        assert!(!en.is_empty());
        // Other pages are not blamed for it.
        let mobile = EXEMPTION.page("mobile").unwrap();
        assert!(EXEMPTION.errors_in(mobile.fields, &a, today()).is_empty());
        let all = EXEMPTION.all_errors(&a, today());
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0.map(|p| p.slug), Some("national-id"));
    }

    #[test]
    fn an_ineligible_applicant_is_asked_for_a_justification_on_the_check_page() {
        let mut a = exemption_answers();
        assert_eq!(
            exemption_precheck(&a, today()).map(|o| o.verdict),
            Some(rules::Verdict::Eligible)
        );
        a.set("unjustified_absence", "true".into());
        assert_eq!(
            exemption_precheck(&a, today()).map(|o| o.verdict),
            Some(rules::Verdict::Ineligible)
        );
        let all = EXEMPTION.all_errors(&a, today());
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(all[0].0.is_none());
        assert_eq!(all[0].1.field, "justification");
        a.set("justification", "غیبت من موجه بوده است".into());
        assert!(EXEMPTION.all_errors(&a, today()).is_empty());
    }

    #[test]
    fn withdrawal_pages_follow_the_answers() {
        let a = answers(&[("early_withdrawal", "true"), ("student_card", "lost")]);
        let seq: Vec<_> = WITHDRAWAL.sequence(&a).iter().map(|p| p.slug).collect();
        assert!(seq.contains(&"early-form") && seq.contains(&"undertaking"));
        let b = answers(&[("early_withdrawal", "false"), ("student_card", "handed_in")]);
        assert_eq!(WITHDRAWAL.sequence(&b).len(), 9);
        let file = [
            ("withdrawal_form.file_name", "form.pdf"),
            ("withdrawal_form.media_type", "application/pdf"),
            ("withdrawal_form.size", "1200"),
            ("withdrawal_form.sha256", "ab".repeat(32).leak() as &str),
        ];
        let mut pairs = vec![
            ("student_number", "۸۱۰۱۹۹۱۲۳"),
            ("national_id", "0084575948"),
            ("mobile", "۰۹۱۲۱۲۳۴۵۶۷"),
            ("faculty", "فنی"),
            ("level", "bachelor_continuous"),
            ("reason", "شغل"),
            ("early_withdrawal", "false"),
            ("student_card", "handed_in"),
        ];
        pairs.extend(file);
        let c = answers(&pairs);
        assert!(
            WITHDRAWAL.all_errors(&c, today()).is_empty(),
            "{:?}",
            WITHDRAWAL.all_errors(&c, today())
        );
        assert_eq!(WITHDRAWAL.to_json(&c)["withdrawal_form"]["size"], 1200);
        assert!(WITHDRAWAL.to_json(&c).get("national_id").is_none());
        assert!(WITHDRAWAL.to_json(&c).get("mobile").is_none());
        let mut d = c.clone();
        d.set("national_id", "0084575949".into());
        let all = WITHDRAWAL.all_errors(&d, today());
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0.map(|p| p.slug), Some("national-id"));
        // The mobile is checked by rules::identity, on its own page.
        let mut e = c.clone();
        e.set("mobile", "08121234567".into());
        let all = WITHDRAWAL.all_errors(&e, today());
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].0.map(|p| p.slug), Some("mobile"));
        assert_eq!(all[0].1.field, "mobile");
    }

    #[test]
    fn a_draft_stored_before_the_mobile_page_asks_it() {
        // Saved by the previous version: every page answered, no mobile.
        let old = answers(&[
            ("national_id", "0084575948"),
            ("reason", "expulsion"),
            ("evening_course", "false"),
        ]);
        assert_eq!(
            CLEARANCE.first_unanswered(&old).map(|p| p.slug),
            Some("mobile")
        );
        let seq: Vec<_> = CLEARANCE.sequence(&old).iter().map(|p| p.slug).collect();
        assert_eq!(seq, ["national-id", "mobile", "reason", "evening-course"]);
        let mut done = old.clone();
        done.set("mobile", "+989121234567".into());
        assert_eq!(CLEARANCE.first_unanswered(&done).map(|p| p.slug), None);
        assert!(CLEARANCE.all_errors(&done, today()).is_empty());
    }

    #[test]
    fn clearance_needs_both_answers() {
        let a = answers(&[
            ("reason", "expulsion"),
            ("national_id", "0084575948"),
            ("mobile", "09121234567"),
        ]);
        let all = CLEARANCE.all_errors(&a, today());
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].0.map(|p| p.slug), Some("evening-course"));
        let b = answers(&[
            ("reason", "expulsion"),
            ("evening_course", "false"),
            ("national_id", "0084575948"),
            ("mobile", "09121234567"),
        ]);
        assert!(CLEARANCE.all_errors(&b, today()).is_empty());
    }
}
