//! Universities and a clerk's scope, apart from HTTP and SQL (issue 14): a university as a
//! record, the default one today's data belongs to, and [`Scope`] — national, one university,
//! one faculty of a university, or one county — which roles may have which, how the admin's
//! input is read into one (a faculty scope naming one of the university's faculties), and
//! whether it covers a request (by the request's university id, faculty code or county: never by
//! comparing names); a new university's and a new faculty's input checked.

use rules::workflow::Role;
use rules::InputError;

use super::invalid;

/// A university's id (`universities.id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UniversityId(pub i64);

/// The university migration 12 gave today's data to (the demo roster's «دانشگاه نمونه»).
pub const DEFAULT_UNIVERSITY: UniversityId = UniversityId(1);

/// A university as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct University {
    pub id: UniversityId,
    /// Lowercase ASCII: what a request and the admin name it by.
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
}

impl University {
    /// The university as the API shows it: its code and names.
    pub fn entry(self) -> api::common::UniversityEntry {
        api::common::UniversityEntry {
            code: self.code,
            name_fa: self.name_fa,
            name_en: self.name_en,
        }
    }
}

/// A faculty of a university: its code (what the university's roster and requests name it by;
/// migration 12 made the existing names codes, so a code may be Persian text) and names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Faculty {
    pub university: UniversityId,
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
}

/// The university `text` names: its code, or (older requests, rosters and scopes) its Persian
/// name.
pub fn named<'a>(universities: &'a [University], text: &str) -> Option<&'a University> {
    let text = text.trim();
    universities
        .iter()
        .find(|u| u.code == text)
        .or_else(|| universities.iter().find(|u| u.name_fa == text))
}

/// The university whose code `text` is (trimmed, any case), for a `university` field or query
/// that names one by its code: the sign-in by student number, the sign-in methods, the
/// national admin's roster import. Unknown: refused, naming the field.
pub fn by_code<'a>(
    universities: &'a [University],
    text: &str,
) -> Result<&'a University, InputError> {
    let code = text.trim().to_ascii_lowercase();
    universities.iter().find(|u| u.code == code).ok_or_else(|| {
        invalid(
            "university",
            format!("there is no university {code:?}: choose one from the list."),
            format!("دانشگاه «{code}» در فهرست نیست؛ یکی از فهرست را برگزینید."),
        )
    })
}

/// Whom a clerk serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every university and county.
    National,
    /// One university's requests.
    University(UniversityId),
    /// One faculty (by its code) of one university.
    Faculty(UniversityId, String),
    /// One county's requests (the conscription roles).
    County(String),
}

/// What a request is matched against.
#[derive(Clone, Copy, Debug)]
pub struct Belongs<'a> {
    pub university: Option<UniversityId>,
    pub faculty: Option<&'a str>,
    pub county: Option<&'a str>,
}

/// The conscription organisation's roles: they serve a county (or the nation), never a
/// university.
pub fn is_conscription(role: &Role) -> bool {
    matches!(
        role,
        Role::ConscriptionExpert | Role::ConscriptionDeputy | Role::PoliceOffice
    )
}

impl Scope {
    /// `users.scope_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::National => "national",
            Scope::University(_) => "university",
            Scope::Faculty(..) => "faculty",
            Scope::County(_) => "county",
        }
    }

    /// The typed columns (`scope_kind`, `scope_university_id`, `scope_faculty`, `scope_county`).
    pub fn columns(&self) -> (&'static str, Option<i64>, Option<&str>, Option<&str>) {
        match self {
            Scope::National => ("national", None, None, None),
            Scope::University(u) => ("university", Some(u.0), None, None),
            Scope::Faculty(u, f) => ("faculty", Some(u.0), Some(f.as_str()), None),
            Scope::County(c) => ("county", None, None, Some(c.as_str())),
        }
    }

    /// A scope read back from its columns; `None` for columns this build never writes.
    pub fn from_columns(
        kind: &str,
        university: Option<i64>,
        faculty: Option<String>,
        county: Option<String>,
    ) -> Option<Scope> {
        match (kind, university, faculty, county) {
            ("national", ..) => Some(Scope::National),
            ("university", Some(u), _, _) => Some(Scope::University(UniversityId(u))),
            ("faculty", Some(u), Some(f), _) => Some(Scope::Faculty(UniversityId(u), f)),
            ("county", _, _, Some(c)) => Some(Scope::County(c)),
            _ => None,
        }
    }

    /// The university it is limited to, if any.
    pub fn university(&self) -> Option<UniversityId> {
        match self {
            Scope::University(u) | Scope::Faculty(u, _) => Some(*u),
            _ => None,
        }
    }

    /// Whether a clerk of `role` may have this scope: the conscription roles a county (or
    /// national); the university's roles a university or a faculty (or national), a faculty only
    /// for the faculty's roles; the national admin only national, a university's admin only
    /// their university.
    pub fn fits(&self, role: &Role) -> bool {
        match self {
            Scope::National => *role != Role::UniversityAdmin,
            Scope::County(_) => is_conscription(role),
            Scope::University(_) => !is_conscription(role) && *role != Role::Admin,
            Scope::Faculty(..) => {
                matches!(role, Role::FacultyExpert | Role::HeadOfFacultyEducation)
            }
        }
    }

    /// Whether a request that belongs where `b` says is in this scope.
    pub fn covers(&self, b: Belongs<'_>) -> bool {
        match self {
            Scope::National => true,
            Scope::University(u) => b.university == Some(*u),
            Scope::Faculty(u, f) => b.university == Some(*u) && b.faculty == Some(f.as_str()),
            Scope::County(c) => b.county == Some(c.as_str()),
        }
    }

    /// How the API and `pishkhan user list` show it in one word, as before issue 14: `*`, the
    /// university's Persian name, the faculty's code, or the county.
    pub fn label(&self, universities: &[University]) -> String {
        match self {
            Scope::National => "*".to_owned(),
            Scope::University(u) => universities
                .iter()
                .find(|x| x.id == *u)
                .map_or_else(|| format!("#{}", u.0), |x| x.name_fa.clone()),
            Scope::Faculty(_, f) => f.clone(),
            Scope::County(c) => c.clone(),
        }
    }
}

/// Longest county or faculty name in a scope.
const MAX_NAME_CHARS: usize = 100;

/// Reads the admin's input into a scope for `role` (`None`: the role was refused already):
/// `scope` is `*` (the default) or a name as before issue 14 — a county for the conscription
/// roles, a university (code or Persian name) for the university user, a faculty code for the
/// faculty roles — and `university` (a code) limits any university role to that university
/// (with `scope` naming a faculty of it, for the faculty roles). Only [`Role::SCOPED`] roles
/// take a name in `scope`. A faculty must be one of `faculties` (those of the university the
/// scope names; refused naming `scope` otherwise).
pub fn check_scope(
    scope: Option<String>,
    university: Option<String>,
    role: Option<&Role>,
    universities: &[University],
    faculties: &[Faculty],
) -> Result<Scope, InputError> {
    let text = scope.as_deref().unwrap_or("*").trim().to_owned();
    if text.is_empty() || text.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            "scope",
            "'*' or the name of a university, county or faculty.",
            "«*» یا نام دانشگاه، شهرستان یا دانشکده.",
        ));
    }
    let Some(role) = role else {
        return Ok(Scope::National);
    };
    if text != "*" && !role.is_scoped() {
        return Err(invalid(
            "scope",
            format!(
                "the role {} serves everything: its scope must be '*'.",
                role.id()
            ),
            "این نقش همه درخواست‌ها را می‌بیند؛ دامنه آن باید «*» باشد.",
        ));
    }
    let unknown = |field: &str, name: &str| {
        invalid(
            field,
            format!("there is no university {name:?}."),
            format!("دانشگاه «{name}» تعریف نشده است."),
        )
    };
    let of_university = match university.as_deref().map(str::trim) {
        None => None,
        Some(code) => Some(
            named(universities, code)
                .ok_or_else(|| unknown("university", code))?
                .id,
        ),
    };
    let serves_county = invalid(
        "university",
        format!("the role {} serves a county, not a university.", role.id()),
        "این نقش به شهرستان خدمت می‌کند، نه دانشگاه.",
    );
    if of_university.is_some() && is_conscription(role) {
        return Err(serves_county);
    }
    let scope = match (text.as_str(), of_university) {
        ("*", None) => Scope::National,
        ("*", Some(u)) => Scope::University(u),
        (name, _) if is_conscription(role) => Scope::County(name.to_owned()),
        (name, u) if matches!(role, Role::FacultyExpert | Role::HeadOfFacultyEducation) => {
            Scope::Faculty(u.unwrap_or(DEFAULT_UNIVERSITY), name.to_owned())
        }
        (name, None) => Scope::University(
            named(universities, name)
                .ok_or_else(|| unknown("scope", name))?
                .id,
        ),
        (_, Some(_)) => {
            return Err(invalid(
                "scope",
                "'*' with a university: the university is the scope.",
                "با دانشگاه، دامنه باید «*» باشد.",
            ))
        }
    };
    if let Scope::Faculty(u, code) = &scope {
        if !faculties
            .iter()
            .any(|f| f.university == *u && f.code == *code)
        {
            return Err(invalid(
                "scope",
                format!("the university has no faculty {code:?}: add it first, or choose one of its faculties."),
                format!("دانشگاه دانشکده‌ای با شناسه «{code}» ندارد؛ نخست آن را بیفزایید یا یکی از دانشکده‌هایش را برگزینید."),
            ));
        }
    }
    match scope {
        _ if scope.fits(role) => Ok(scope),
        Scope::National => Err(invalid(
            "university",
            format!(
                "the role {} serves one university: give its code.",
                role.id()
            ),
            "این نقش به یک دانشگاه خدمت می‌کند؛ شناسه آن را بدهید.",
        )),
        _ => Err(invalid(
            "university",
            format!("the role {} serves every university.", role.id()),
            "این نقش به همه دانشگاه‌ها خدمت می‌کند.",
        )),
    }
}

/// Whether `text` has the shape of a university's code (what the forms send since issue 14).
fn looks_like_code(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 32
        && text
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
}

/// An exemption's `university` (its university of study): a university's code, chosen from
/// `GET /api/v1/universities`. A code no university has is refused, naming the field. Text of
/// another shape — a form of before issue 14, a Persian name — files the request at the
/// university of that Persian name, else at the default one (the store's rule), until every
/// form sends a code.
pub fn check_exemption_university(
    universities: &[University],
    text: Option<&str>,
) -> Result<(), InputError> {
    match text.map(str::trim) {
        Some(code) if looks_like_code(code) && named(universities, code).is_none() => Err(invalid(
            "university",
            format!("there is no university {code:?}: choose one from the list."),
            format!("دانشگاه «{code}» در فهرست نیست؛ یکی از فهرست را برگزینید."),
        )),
        _ => Ok(()),
    }
}

/// A new university's code and names, checked: a code of 1 to 32 of `a-z 0-9 _ -`, not taken
/// (the caller's store says), and names of 1 to 100 characters in both languages.
pub fn check_university(
    code: Option<String>,
    name_fa: Option<String>,
    name_en: Option<String>,
) -> Result<(String, String, String), Vec<InputError>> {
    let code_ok = |code: &str| {
        (1..=32).contains(&code.len())
            && code
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
    };
    let refused = invalid(
        "code",
        "1 to 32 letters a-z, digits, '_' or '-'.",
        "۱ تا ۳۲ نویسه از حروف لاتین کوچک، رقم، «_» یا «-».",
    );
    check_entry(code, code_ok, refused, name_fa, name_en)
}

/// A new faculty's code and names, checked: a code of 1 to 100 characters without control
/// characters, not `*` (Persian text as well as `a-z`: rosters and requests name faculties by
/// it), not taken (the caller's store says), and names of 1 to 100 characters in both
/// languages.
pub fn check_faculty(
    code: Option<String>,
    name_fa: Option<String>,
    name_en: Option<String>,
) -> Result<(String, String, String), Vec<InputError>> {
    let code_ok = |code: &str| {
        !code.is_empty()
            && code != "*"
            && code.chars().count() <= MAX_NAME_CHARS
            && !code.chars().any(char::is_control)
    };
    let refused = invalid(
        "code",
        "1 to 100 characters, not '*': what the roster and requests name the faculty by.",
        "۱ تا ۱۰۰ نویسه، جز «*»: همان نامی که فهرست دانشجویان و درخواست‌ها دانشکده را با آن می‌نامند.",
    );
    check_entry(code, code_ok, refused, name_fa, name_en)
}

/// A code (trimmed; `refused` unless `code_ok`) and names of 1 to 100 characters in both
/// languages, every problem named.
fn check_entry(
    code: Option<String>,
    code_ok: impl Fn(&str) -> bool,
    refused: InputError,
    name_fa: Option<String>,
    name_en: Option<String>,
) -> Result<(String, String, String), Vec<InputError>> {
    let mut errors = Vec::new();
    let code = code.unwrap_or_default().trim().to_owned();
    if !code_ok(&code) {
        errors.push(refused);
    }
    let mut name = |field: &str, value: Option<String>| {
        let value = value.unwrap_or_default().trim().to_owned();
        if value.is_empty() || value.chars().count() > MAX_NAME_CHARS {
            errors.push(invalid(
                field,
                "a name of 1 to 100 characters.",
                "نامی با ۱ تا ۱۰۰ نویسه.",
            ));
        }
        value
    };
    let name_fa = name("name_fa", name_fa);
    let name_en = name("name_en", name_en);
    if errors.is_empty() {
        Ok((code, name_fa, name_en))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn universities() -> Vec<University> {
        vec![
            University {
                id: DEFAULT_UNIVERSITY,
                code: "default".into(),
                name_fa: "دانشگاه نمونه".into(),
                name_en: "Sample university".into(),
            },
            University {
                id: UniversityId(2),
                code: "ut".into(),
                name_fa: "دانشگاه تهران".into(),
                name_en: "University of Tehran".into(),
            },
        ]
    }

    /// The law faculty of both universities.
    fn faculties() -> Vec<Faculty> {
        [DEFAULT_UNIVERSITY, UniversityId(2)]
            .into_iter()
            .map(|university| Faculty {
                university,
                code: "حقوق".into(),
                name_fa: "حقوق".into(),
                name_en: "Law".into(),
            })
            .collect()
    }

    fn check(scope: &str, university: Option<&str>, role: Role) -> Result<Scope, InputError> {
        check_scope(
            Some(scope.into()),
            university.map(str::to_owned),
            Some(&role),
            &universities(),
            &faculties(),
        )
    }

    #[test]
    fn input_is_read_into_a_scope_by_role() {
        let ut = UniversityId(2);
        assert_eq!(check("*", None, Role::Admin).unwrap(), Scope::National);
        assert_eq!(
            check("تهران", None, Role::ConscriptionExpert).unwrap(),
            Scope::County("تهران".into())
        );
        assert_eq!(
            check("دانشگاه تهران", None, Role::UniversityUser).unwrap(),
            Scope::University(ut)
        );
        assert_eq!(
            check("ut", None, Role::UniversityUser).unwrap(),
            Scope::University(ut)
        );
        assert_eq!(
            check("حقوق", Some("ut"), Role::FacultyExpert).unwrap(),
            Scope::Faculty(ut, "حقوق".into())
        );
        assert_eq!(
            check("حقوق", None, Role::FacultyExpert).unwrap(),
            Scope::Faculty(DEFAULT_UNIVERSITY, "حقوق".into())
        );
        assert_eq!(
            check("*", Some("ut"), Role::CentralOfficeExpert).unwrap(),
            Scope::University(ut)
        );
        let field = |r: Result<Scope, InputError>| r.unwrap_err().field;
        assert_eq!(
            field(check("جایی", None, Role::UniversityUser)).as_deref(),
            Some("scope")
        );
        assert_eq!(
            field(check("*", Some("nowhere"), Role::UniversityUser)).as_deref(),
            Some("university")
        );
        assert_eq!(
            field(check("*", Some("ut"), Role::ConscriptionExpert)).as_deref(),
            Some("university")
        );
        assert_eq!(
            field(check("*", Some("ut"), Role::Admin)).as_deref(),
            Some("university")
        );
        assert_eq!(
            field(check("فنی", None, Role::CentralOfficeExpert)).as_deref(),
            Some("scope")
        );
        // A faculty scope names one of that university's faculties.
        assert_eq!(
            field(check("فنی", Some("ut"), Role::FacultyExpert)).as_deref(),
            Some("scope")
        );
        let only_default = &faculties()[..1];
        let at_ut = check_scope(
            Some("حقوق".into()),
            Some("ut".into()),
            Some(&Role::HeadOfFacultyEducation),
            &universities(),
            only_default,
        );
        assert_eq!(field(at_ut).as_deref(), Some("scope"));
        // A university's admin serves one university, the national admin every one.
        assert_eq!(
            check("*", Some("ut"), Role::UniversityAdmin).unwrap(),
            Scope::University(ut)
        );
        assert_eq!(
            field(check("*", None, Role::UniversityAdmin)).as_deref(),
            Some("university")
        );
    }

    #[test]
    fn a_faculty_is_any_text_but_star_with_names_in_both_languages() {
        let ok = check_faculty(Some(" فنی ".into()), Some("فنی".into()), Some("Eng".into()));
        assert_eq!(ok.unwrap().0, "فنی");
        assert!(check_faculty(Some("law".into()), Some("حقوق".into()), Some("Law".into())).is_ok());
        let fields = |r: Result<(String, String, String), Vec<InputError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(check_faculty(Some("*".into()), None, Some(" ".into()))),
            ["code", "name_fa", "name_en"]
        );
        assert_eq!(
            fields(check_faculty(
                Some("a\nb".into()),
                Some("x".into()),
                Some("x".into())
            )),
            ["code"]
        );
        assert_eq!(
            fields(check_faculty(
                Some("x".repeat(101)),
                Some("x".into()),
                Some("x".into())
            )),
            ["code"]
        );
    }

    #[test]
    fn an_exemptions_university_is_a_known_code_or_older_free_text() {
        let all = universities();
        let check = |text: &str| check_exemption_university(&all, Some(text));
        assert!(check("ut").is_ok());
        assert!(check("دانشگاه تهران").is_ok());
        assert!(check("دانشگاهی دیگر").is_ok());
        let refused = check("nowhere").unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("university"));
    }

    #[test]
    fn a_scope_covers_by_id_and_code_never_by_name() {
        let (a, b) = (UniversityId(2), UniversityId(3));
        let at = |u: UniversityId, faculty: &'static str, county: &'static str| Belongs {
            university: Some(u),
            faculty: Some(faculty),
            county: Some(county),
        };
        assert!(Scope::National.covers(at(b, "law", "شیراز")));
        assert!(Scope::University(a).covers(at(a, "law", "شیراز")));
        assert!(!Scope::University(a).covers(at(b, "law", "شیراز")));
        assert!(Scope::Faculty(a, "law".into()).covers(at(a, "law", "x")));
        assert!(!Scope::Faculty(a, "law".into()).covers(at(b, "law", "x")));
        assert!(!Scope::Faculty(a, "law".into()).covers(at(a, "eng", "x")));
        assert!(Scope::County("شیراز".into()).covers(at(b, "law", "شیراز")));
        assert!(!Scope::County("شیراز".into()).covers(at(b, "law", "تهران")));
        for scope in [
            Scope::National,
            Scope::University(a),
            Scope::Faculty(b, "law".into()),
            Scope::County("قم".into()),
        ] {
            let (kind, u, f, c) = scope.columns();
            let back = Scope::from_columns(kind, u, f.map(str::to_owned), c.map(str::to_owned));
            assert_eq!(back, Some(scope));
        }
    }
}
