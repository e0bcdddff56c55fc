//! The university's roster and the people on it, apart from HTTP and SQL: a roster CSV read and
//! checked as a whole (every bad row named by line and field, in Persian and English), the
//! student number, who asks to sign in (`Identity`), the signed-in `Person` (from the roster, or
//! from an OpenID provider with what the roster adds), the counts of an import, and the demo
//! roster of `serve --demo-users`.

use std::collections::HashMap;

use api::signin::SigninSource;
use rules::{Level, Mobile, NationalId};

use super::invalid;
use super::oidc::VerifiedIdentity;
use super::universities::{named, University, UniversityId, DEFAULT_UNIVERSITY};
use rules::InputError;

/// Largest roster the admin's API accepts: 5 MiB, some 60,000 rows.
pub const MAX_ROSTER_BYTES: usize = 5 * 1024 * 1024;

/// The columns every roster has, in the documented order (any order is read).
pub const COLUMNS: [&str; 6] = [
    "student_number",
    "national_id",
    "mobile",
    "faculty",
    "level",
    "status",
];

/// The optional column: the university's name, free text until it becomes a record (issue 14).
pub const UNIVERSITY: &str = "university";

/// Longest faculty or university name.
const MAX_NAME_CHARS: usize = 100;

/// Whether a person on the roster studies now or has been admitted and not yet registered (the
/// admitted list a university receives, seed 000 A2 step 4): both may sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterStatus {
    Student,
    Admitted,
}

impl RosterStatus {
    pub const fn id(self) -> &'static str {
        match self {
            RosterStatus::Student => "student",
            RosterStatus::Admitted => "admitted",
        }
    }

    pub fn parse(id: &str) -> Option<RosterStatus> {
        [RosterStatus::Student, RosterStatus::Admitted]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// One checked row of a roster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterEntry {
    /// The line of the file it came from (1 is the header).
    pub line: u64,
    pub student_number: String,
    pub national_id: NationalId,
    pub mobile: Mobile,
    pub faculty: String,
    pub level: Level,
    pub status: RosterStatus,
    /// Empty when the file has no `university` column.
    pub university: String,
}

/// A bad row (or header, or file): its line, the column, and what is wrong in both languages
/// (the messages begin with the line and the column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message_fa: String,
    pub message_en: String,
}

impl RowError {
    pub fn new(
        line: u64,
        field: &str,
        en: impl std::fmt::Display,
        fa: impl std::fmt::Display,
    ) -> RowError {
        RowError {
            line,
            field: field.to_owned(),
            message_en: format!("line {line}, {field}: {en}"),
            message_fa: crate::fa_digits(&format!("سطر {line}، {field}: {fa}")),
        }
    }

    fn from_input(line: u64, e: InputError) -> RowError {
        let field = e.field.unwrap_or_default();
        // `invalid` words begin with "<field>: "; the row's own prefix says it once.
        let strip = |m: &str| {
            m.strip_prefix(&format!("{field}: "))
                .unwrap_or(m)
                .to_owned()
        };
        RowError::new(line, &field, strip(&e.message_en), strip(&e.message_fa))
    }
}

/// How an import changed the roster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// National IDs that were not on the roster.
    pub added: u64,
    /// National IDs whose row changed.
    pub updated: u64,
    /// National IDs whose row was already exactly this.
    pub unchanged: u64,
}

/// Where an import files its rows, and whether it may take a person from another university's
/// roster (docs/signin.md, "Each university's roster").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportInto {
    /// A university's admin: every row at their university (a row whose `university` column
    /// names another is refused); a person on another university's roster is refused.
    OwnUniversity(UniversityId),
    /// The national admin naming a university (`?university=`, `--university`): every row there
    /// (a row naming another is refused); a person on another university's roster moves there.
    University(UniversityId),
    /// The national admin naming none: each row at the university its `university` column names
    /// (its code or Persian name; the default university when the column is empty or missing);
    /// a person on another university's roster moves.
    ByColumn,
}

impl ImportInto {
    /// Where `e` goes: the university its column names, which must be this import's when it is
    /// one university's; a column naming no university is refused.
    pub fn place(
        self,
        e: &RosterEntry,
        universities: &[University],
    ) -> Result<UniversityId, RowError> {
        let text = e.university.trim();
        let fixed = match self {
            ImportInto::OwnUniversity(u) | ImportInto::University(u) => Some(u),
            ImportInto::ByColumn => None,
        };
        if text.is_empty() {
            return Ok(fixed.unwrap_or(DEFAULT_UNIVERSITY));
        }
        let Some(named) = named(universities, text) else {
            return Err(RowError::new(
                e.line,
                UNIVERSITY,
                format!("there is no university {text:?} (give its code or its Persian name)."),
                format!("دانشگاه «{text}» تعریف نشده است (کد یا نام فارسی آن را بنویسید)."),
            ));
        };
        match fixed {
            Some(u) if u != named.id => {
                let (code, name_fa) = universities
                    .iter()
                    .find(|x| x.id == u)
                    .map_or((String::new(), String::new()), |x| {
                        (x.code.clone(), x.name_fa.clone())
                    });
                Err(RowError::new(
                    e.line,
                    UNIVERSITY,
                    format!(
                        "this row names another university; this import is the roster of {code:?}."
                    ),
                    format!("این ردیف دانشگاه دیگری را نام می‌برد؛ این فهرستِ «{name_fa}» است."),
                ))
            }
            _ => Ok(named.id),
        }
    }

    /// Whether a person on another university's roster may be moved by this import.
    pub fn may_move(self) -> bool {
        !matches!(self, ImportInto::OwnUniversity(_))
    }
}

/// A student number as typed: digits in any script and Latin letters, 4 to 20 of them once the
/// surrounding spaces are gone; kept with ASCII digits and capital letters.
pub fn student_number(text: &str) -> Result<String, InputError> {
    let ascii = rules::digits::to_ascii_digits(text.trim()).to_ascii_uppercase();
    if (4..=20).contains(&ascii.len()) && ascii.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(ascii)
    } else {
        Err(invalid(
            "student_number",
            "4 to 20 digits or Latin letters.",
            "۴ تا ۲۰ رقم یا حرف لاتین.",
        ))
    }
}

/// A faculty's or university's name: trimmed, 1 to 100 characters, no control characters.
fn name(field: &str, text: &str, required: bool) -> Result<String, InputError> {
    let text = text.trim();
    let ok = (!required || !text.is_empty())
        && text.chars().count() <= MAX_NAME_CHARS
        && !text.chars().any(char::is_control);
    if ok {
        Ok(text.to_owned())
    } else {
        Err(invalid(
            field,
            "required, at most 100 characters.",
            "لازم است و حداکثر ۱۰۰ نویسه.",
        ))
    }
}

/// A level of study by its id (`bachelor_continuous`, …); a roster is a university's, so not
/// `school`.
fn level(text: &str) -> Result<Level, InputError> {
    Level::from_id(text.trim())
        .filter(|l| *l != Level::School)
        .ok_or_else(|| {
            let ids: Vec<&str> = Level::ALL
                .iter()
                .filter(|l| **l != Level::School)
                .map(|l| l.id())
                .collect();
            invalid(
                "level",
                format!("one of {}.", ids.join(", ")),
                format!("یکی از {}.", ids.join("، ")),
            )
        })
}

fn status(text: &str) -> Result<RosterStatus, InputError> {
    RosterStatus::parse(text.trim()).ok_or_else(|| {
        invalid(
            "status",
            "student or admitted.",
            "student (دانشجو) یا admitted (پذیرفته‌شده).",
        )
    })
}

fn identity_error(field: &str, e: rules::IdentityError) -> InputError {
    invalid(field, e.message_en(), e.message_fa())
}

/// Where each column is in the file's rows.
struct Columns {
    index: HashMap<&'static str, usize>,
    count: usize,
}

/// The header row: the six columns (and `university`, if given), each once, in any order;
/// names compared trimmed and in lower case.
fn columns(header: &csv::StringRecord) -> Result<Columns, Vec<RowError>> {
    let mut index = HashMap::new();
    let mut errors = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let name = raw.trim().to_lowercase();
        let known = COLUMNS.iter().chain([&UNIVERSITY]).find(|c| **c == name);
        match known {
            Some(&c) if index.insert(c, i).is_some() => errors.push(RowError::new(
                1,
                "header",
                format!("the column {c} is given twice."),
                format!("ستون {c} دو بار آمده است."),
            )),
            Some(_) => {}
            None => errors.push(RowError::new(
                1,
                "header",
                format!(
                    "unknown column {name:?}; the columns are {}, and optionally {UNIVERSITY}.",
                    COLUMNS.join(",")
                ),
                format!(
                    "ستون ناشناخته «{name}»؛ ستون‌ها {} هستند و در صورت نیاز {UNIVERSITY}.",
                    COLUMNS.join(",")
                ),
            )),
        }
    }
    for c in COLUMNS {
        if !index.contains_key(c) {
            errors.push(RowError::new(
                1,
                "header",
                format!(
                    "the column {c} is missing (the first row names the columns: {}).",
                    COLUMNS.join(",")
                ),
                format!(
                    "ستون {c} نیست (سطر نخست نام ستون‌هاست: {}).",
                    COLUMNS.join(",")
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Columns {
            index,
            count: header.len(),
        })
    } else {
        Err(errors)
    }
}

/// Collects a row's bad fields.
struct Keep<'a> {
    line: u64,
    errors: &'a mut Vec<RowError>,
}

impl Keep<'_> {
    fn ok<T>(&mut self, checked: Result<T, InputError>) -> Option<T> {
        checked
            .map_err(|e| self.errors.push(RowError::from_input(self.line, e)))
            .ok()
    }
}

/// One data row, every bad field reported.
fn entry(
    line: u64,
    record: &csv::StringRecord,
    cols: &Columns,
) -> Result<RosterEntry, Vec<RowError>> {
    let cell = |c: &str| cols.index.get(c).and_then(|&i| record.get(i)).unwrap_or("");
    let mut errors = Vec::new();
    let mut keep = Keep {
        line,
        errors: &mut errors,
    };
    let student_number = keep.ok(student_number(cell("student_number")));
    let national_id = keep
        .ok(NationalId::parse(cell("national_id")).map_err(|e| identity_error("national_id", e)));
    let mobile = keep.ok(Mobile::parse(cell("mobile")).map_err(|e| identity_error("mobile", e)));
    let faculty = keep.ok(name("faculty", cell("faculty"), true));
    let level = keep.ok(level(cell("level")));
    let status = keep.ok(status(cell("status")));
    let university = keep.ok(name(UNIVERSITY, cell(UNIVERSITY), false));
    match (
        student_number,
        national_id,
        mobile,
        faculty,
        level,
        status,
        university,
    ) {
        (
            Some(student_number),
            Some(national_id),
            Some(mobile),
            Some(faculty),
            Some(level),
            Some(status),
            Some(university),
        ) => Ok(RosterEntry {
            line,
            student_number,
            national_id,
            mobile,
            faculty,
            level,
            status,
            university,
        }),
        _ => Err(errors),
    }
}

/// Reads a roster: UTF-8 CSV (a byte-order mark is fine), a header row naming the columns,
/// then one person a row; blank lines are skipped. Persian, Arabic-Indic and Latin digits are
/// read alike. Every problem is reported — a bad header, a row with the wrong number of fields,
/// a bad field, a national ID or student number given twice in the file — by line and field;
/// any problem means no entry at all (nothing is half-imported).
pub fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterEntry>, Vec<RowError>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        vec![RowError::new(
            line,
            "file",
            "not UTF-8 text; save the roster as \"CSV UTF-8\".",
            "متن UTF-8 نیست؛ فهرست را با قالب «CSV UTF-8» ذخیره کنید.",
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // The reader's own line numbers drift on CRLF and blank lines: a record's line is counted
    // here, from where the reader stopped after the record before.
    let line_at = |end: u64| {
        let start = text.as_bytes()[end as usize..]
            .iter()
            .position(|b| !matches!(b, b'\r' | b'\n'))
            .map_or(text.len(), |n| end as usize + n);
        1 + text.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    };
    let mut header = csv::StringRecord::new();
    match reader.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![RowError::new(
                1,
                "header",
                format!(
                    "the file is empty; its first row names the columns: {}.",
                    COLUMNS.join(",")
                ),
                format!(
                    "پرونده خالی است؛ سطر نخست آن نام ستون‌هاست: {}.",
                    COLUMNS.join(",")
                ),
            )])
        }
        Err(e) => return Err(vec![csv_error(1, &e)]),
    }
    let cols = columns(&header)?;
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut national_ids: HashMap<String, u64> = HashMap::new();
    let mut student_numbers: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let before = reader.position().byte();
        let line = line_at(before);
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                errors.push(csv_error(line, &e));
                if reader.position().byte() == before {
                    break;
                }
                continue;
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != cols.count {
            errors.push(RowError::new(
                line,
                "row",
                format!("{} fields; the header has {}.", record.len(), cols.count),
                format!(
                    "{} خانه دارد؛ سطر نخست {} ستون دارد.",
                    record.len(),
                    cols.count
                ),
            ));
            continue;
        }
        match entry(line, &record, &cols) {
            Ok(e) => {
                let twice = |seen: &mut HashMap<String, u64>, key: &str, field: &str| {
                    seen.insert(key.to_owned(), line).map(|first| {
                        RowError::new(
                            line,
                            field,
                            format!("also on line {first}; a person is on the roster once."),
                            format!("در سطر {first} هم آمده است؛ هر کس یک بار در فهرست است."),
                        )
                    })
                };
                let a = twice(&mut national_ids, e.national_id.as_str(), "national_id");
                // A student number is a university's own: twice in one university's rows (as
                // the file names it; the store checks the universities it names once resolved).
                let number_at = format!("{}\u{0}{}", e.university.trim(), e.student_number);
                let b = twice(&mut student_numbers, &number_at, "student_number");
                errors.extend(a.into_iter().chain(b));
                entries.push(e);
            }
            Err(mut row) => errors.append(&mut row),
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(RowError::new(
            2,
            "file",
            "the roster has no rows under its header.",
            "فهرست زیر سطر نخست هیچ ردیفی ندارد.",
        ));
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// A row the CSV reader itself refused.
fn csv_error(line: u64, e: &csv::Error) -> RowError {
    RowError::new(
        line,
        "row",
        format!("not valid CSV ({e})."),
        "CSV معتبر نیست.",
    )
}

/// Who asks to sign in: a national ID (unique across the country), or a student number at a
/// university (a student number is a university's own), exactly one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identity {
    NationalId(NationalId),
    StudentNumber(UniversityId, String),
}

impl Identity {
    /// The body's `national_id` or `student_number` (exactly one), checked; a student number is
    /// `university`'s (the body's, or the default one).
    pub fn from_fields(
        national_id: Option<&str>,
        number: Option<&str>,
        university: UniversityId,
    ) -> Result<Identity, InputError> {
        match (national_id, number) {
            (Some(id), None) => NationalId::parse(id)
                .map(Identity::NationalId)
                .map_err(|e| identity_error("national_id", e)),
            (None, Some(number)) => {
                student_number(number).map(|n| Identity::StudentNumber(university, n))
            }
            _ => Err(invalid(
                "national_id",
                "give the national ID or the student number (one of them).",
                "کد ملی یا شماره دانشجویی را وارد کنید (یکی از این دو).",
            )),
        }
    }

    /// The key its rate limit counts by until the roster names the person.
    pub fn key(&self) -> String {
        match self {
            Identity::NationalId(id) => format!("national_id:{}", id.as_str()),
            Identity::StudentNumber(u, n) => format!("student_number:{}:{n}", u.0),
        }
    }
}

/// A person as the roster has them (`rules::Level::id` and `RosterStatus::id` as text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterPerson {
    pub national_id: String,
    pub student_number: String,
    pub mobile: String,
    pub faculty: String,
    pub level: String,
    pub status: String,
    /// The file's `university` column as given (empty when it had none).
    pub university: String,
    /// The university whose roster the person is on.
    pub university_id: UniversityId,
}

impl RosterPerson {
    /// A checked row as the roster keeps it, on `university_id`'s roster.
    pub fn of(e: &RosterEntry, university_id: UniversityId) -> RosterPerson {
        RosterPerson {
            national_id: e.national_id.as_str().to_owned(),
            student_number: e.student_number.clone(),
            mobile: e.mobile.as_str().to_owned(),
            faculty: e.faculty.clone(),
            level: e.level.id().to_owned(),
            status: e.status.id().to_owned(),
            university: e.university.clone(),
            university_id,
        }
    }
}

/// How long a person session lasts, in seconds: 30 minutes from sign-in, not extended by use
/// (as the applicant's session; the forms are filled offline, so signing in is for sending).
pub const SESSION_SECONDS: i64 = 1800;

/// How a person signed in, as stored (`person_sessions.source`).
pub fn source_id(source: SigninSource) -> &'static str {
    match source {
        SigninSource::Roster => "roster",
        SigninSource::Oidc => "oidc",
    }
}

/// The source a stored id stands for.
pub fn source_of(id: &str) -> Option<SigninSource> {
    [SigninSource::Roster, SigninSource::Oidc]
        .into_iter()
        .find(|s| source_id(*s) == id)
}

/// The signed-in person, whichever way they signed in: who the sign-in proved (the roster row,
/// or the ID token's claims with what the roster adds) and their session's CSRF token and end.
/// Requests are filed under these values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// Ten ASCII digits.
    pub national_id: String,
    pub student_number: Option<String>,
    /// `09xxxxxxxxx`.
    pub mobile: Option<String>,
    pub faculty: Option<String>,
    /// `rules::Level::id`.
    pub level: Option<String>,
    pub source: SigninSource,
    /// The OpenID provider's id (`source` is `Oidc`).
    pub provider: Option<String>,
    /// The university the sign-in placed the person at: the roster row's, else the one
    /// university the OpenID provider serves (none for a national provider's stranger).
    pub university: Option<UniversityId>,
    pub csrf_token: String,
    /// Unix seconds.
    pub expires_at: i64,
}

impl Person {
    /// A person the roster signed in (a code to its mobile): the roster row as it is.
    pub fn from_roster(p: &RosterPerson, csrf_token: String, expires_at: i64) -> Person {
        Person {
            national_id: p.national_id.clone(),
            student_number: Some(p.student_number.clone()),
            mobile: Some(p.mobile.clone()),
            faculty: Some(p.faculty.clone()),
            level: Some(p.level.clone()),
            source: SigninSource::Roster,
            provider: None,
            university: Some(p.university_id),
            csrf_token,
            expires_at,
        }
    }

    /// A person an OpenID provider signed in: what the ID token has wins; what it lacks (the
    /// student number, the mobile, and always the faculty and level) comes from the roster row
    /// of the same national ID, when there is one. The university is the roster row's, else
    /// `provider_university` (the one university the provider serves, if it serves one).
    pub fn from_oidc(
        identity: &VerifiedIdentity,
        roster: Option<&RosterPerson>,
        provider_university: Option<UniversityId>,
        csrf_token: String,
        expires_at: i64,
    ) -> Person {
        let on_roster = roster.filter(|r| r.national_id == identity.national_id.as_str());
        let from_roster = |field: fn(&RosterPerson) -> &String| on_roster.map(|r| field(r).clone());
        Person {
            national_id: identity.national_id.as_str().to_owned(),
            student_number: identity
                .student_number
                .clone()
                .or_else(|| from_roster(|r| &r.student_number)),
            mobile: identity
                .mobile
                .as_ref()
                .map(|m| m.as_str().to_owned())
                .or_else(|| from_roster(|r| &r.mobile)),
            faculty: from_roster(|r| &r.faculty),
            level: from_roster(|r| &r.level),
            source: SigninSource::Oidc,
            provider: Some(identity.provider.clone()),
            university: on_roster.map(|r| r.university_id).or(provider_university),
            csrf_token,
            expires_at,
        }
    }
}

/// The demo roster of `serve --demo-users` (README, "Demo roster"): six people, the fourth one
/// newly admitted; the last two are the students the browser tests file for (tests/browser).
pub const DEMO_ROSTER: &str = "\
student_number,national_id,mobile,faculty,level,status,university
40112001,0123456789,09120000001,فنی و مهندسی,bachelor_continuous,student,دانشگاه نمونه
40112002,0234567899,09120000002,علوم پایه,master_noncontinuous,student,دانشگاه نمونه
40112003,0345678915,09120000003,علوم انسانی,phd,student,دانشگاه نمونه
40312004,0456789121,09120000004,فنی و مهندسی,bachelor_continuous,admitted,دانشگاه نمونه
810199123,0084575948,09121234567,دانشکده فنی,bachelor_continuous,student,دانشگاه نمونه
810199124,0012345679,09351234567,دانشکده فنی,bachelor_continuous,student,دانشگاه نمونه
";

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "student_number,national_id,mobile,faculty,level,status\n";

    fn errors(csv: &str) -> Vec<(u64, String)> {
        parse_roster(csv.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.line, e.field))
            .collect()
    }

    #[test]
    fn the_demo_roster_reads() {
        let entries = parse_roster(DEMO_ROSTER.as_bytes()).unwrap();
        assert_eq!(entries.len(), 6);
        assert_eq!(entries[3].status, RosterStatus::Admitted);
        assert_eq!(entries[0].university, "دانشگاه نمونه");
        assert_eq!(entries[0].line, 2);
    }

    #[test]
    fn persian_and_arabic_indic_digits_a_bom_blank_lines_and_any_column_order() {
        let csv = "\u{feff}status,level,faculty,mobile,national_id,student_number\r\n\
                   student,phd,فنی,۰۹۱۲۱۲۳۴۵۶۷,۰۰۸۴۵۷۵۹۴۸,۴۰۱۱۲۰۰۱\r\n\
                   \r\n\
                   admitted,bachelor_continuous,علوم,+989121234568,٠١٢٣٤٥٦٧٨٩,s-1\r\n";
        let e = errors(csv);
        assert_eq!(e, vec![(4, "student_number".to_owned())]);
        let fixed = csv.replace("s-1", "s123");
        let entries = parse_roster(fixed.as_bytes()).unwrap();
        assert_eq!(entries[0].national_id.as_str(), "0084575948");
        assert_eq!(entries[0].mobile.as_str(), "09121234567");
        assert_eq!(entries[0].student_number, "40112001");
        assert_eq!(entries[1].student_number, "S123");
        assert_eq!(entries[1].mobile.as_str(), "09121234568");
        assert_eq!(entries[1].line, 4);
        assert_eq!(entries[0].university, "");
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_field() {
        let csv = format!(
            "{HEADER}\
             40112001,0084575948,09121234567,فنی,phd,student\n\
             40112002,0084575949,0912,,school,graduated\n\
             40112003,0084575948,09121234567,فنی,phd\n\
             40112001,0084575948,09121234567,فنی,phd,student\n"
        );
        assert_eq!(
            errors(&csv),
            vec![
                (3, "national_id".to_owned()),
                (3, "mobile".to_owned()),
                (3, "faculty".to_owned()),
                (3, "level".to_owned()),
                (3, "status".to_owned()),
                (4, "row".to_owned()),
                (5, "national_id".to_owned()),
                (5, "student_number".to_owned()),
            ]
        );
        let all = parse_roster(csv.as_bytes()).unwrap_err();
        assert_eq!(
            all[6].message_en,
            "line 5, national_id: also on line 2; a person is on the roster once."
        );
        assert!(all[6].message_fa.starts_with("سطر ۵، national_id: "));
        assert!(all[0]
            .message_en
            .starts_with("line 3, national_id: not a valid national ID"));
    }

    #[test]
    fn a_bad_header_an_empty_file_and_bytes_that_are_not_utf8() {
        assert_eq!(errors(""), vec![(1, "header".to_owned())]);
        assert_eq!(errors(HEADER), vec![(2, "file".to_owned())]);
        assert_eq!(
            errors("student_number,national_id,mobile,faculty,level,grade\n"),
            vec![(1, "header".to_owned()), (1, "header".to_owned())]
        );
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"40112001,0084575948,09121234567,\xff,phd,student\n");
        let e = parse_roster(&bytes).unwrap_err();
        assert_eq!((e[0].line, e[0].field.as_str()), (2, "file"));
    }

    #[test]
    fn an_identity_is_one_of_the_two() {
        assert_eq!(
            Identity::from_fields(Some("۰۰۸۴۵۷۵۹۴۸"), None, DEFAULT_UNIVERSITY)
                .unwrap()
                .key(),
            "national_id:0084575948"
        );
        assert_eq!(
            Identity::from_fields(None, Some(" ۴۰۱۱۲۰۰۱ "), UniversityId(2)).unwrap(),
            Identity::StudentNumber(UniversityId(2), "40112001".into())
        );
        assert_eq!(
            Identity::StudentNumber(UniversityId(2), "40112001".into()).key(),
            "student_number:2:40112001"
        );
        for (id, number) in [(None, None), (Some("0084575948"), Some("40112001"))] {
            let e = Identity::from_fields(id, number, DEFAULT_UNIVERSITY).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("national_id"));
        }
        assert_eq!(
            Identity::from_fields(Some("0084575949"), None, DEFAULT_UNIVERSITY)
                .unwrap_err()
                .field
                .as_deref(),
            Some("national_id")
        );
    }

    fn on_roster() -> RosterPerson {
        RosterPerson::of(
            &parse_roster(DEMO_ROSTER.as_bytes()).unwrap()[4],
            DEFAULT_UNIVERSITY,
        )
    }

    fn identity(student_number: Option<&str>, mobile: Option<&str>) -> VerifiedIdentity {
        VerifiedIdentity {
            provider: "university".into(),
            national_id: NationalId::parse("0084575948").unwrap(),
            student_number: student_number.map(str::to_owned),
            mobile: mobile.map(|m| Mobile::parse(m).unwrap()),
        }
    }

    #[test]
    fn a_roster_sign_in_is_the_roster_row() {
        let p = Person::from_roster(&on_roster(), "csrf".into(), 99);
        assert_eq!(p.national_id, "0084575948");
        assert_eq!(p.student_number.as_deref(), Some("810199123"));
        assert_eq!(p.mobile.as_deref(), Some("09121234567"));
        assert_eq!(p.faculty.as_deref(), Some("دانشکده فنی"));
        assert_eq!(p.level.as_deref(), Some("bachelor_continuous"));
        assert_eq!((p.source, p.provider), (SigninSource::Roster, None));
        assert_eq!(p.university, Some(DEFAULT_UNIVERSITY));
    }

    #[test]
    fn an_openid_sign_in_takes_the_token_first_and_the_roster_for_the_rest() {
        let roster = on_roster();
        // The token has it all: its student number and mobile win; faculty and level are the
        // roster's (no token carries them).
        let p = Person::from_oidc(
            &identity(Some("98123456"), Some("+989130000000")),
            Some(&roster),
            Some(UniversityId(2)),
            "csrf".into(),
            99,
        );
        assert_eq!(p.student_number.as_deref(), Some("98123456"));
        assert_eq!(p.mobile.as_deref(), Some("09130000000"));
        assert_eq!(p.faculty.as_deref(), Some("دانشکده فنی"));
        assert_eq!(p.level.as_deref(), Some("bachelor_continuous"));
        assert_eq!(p.source, SigninSource::Oidc);
        assert_eq!(p.provider.as_deref(), Some("university"));
        assert_eq!((p.csrf_token.as_str(), p.expires_at), ("csrf", 99));
        // On the roster, the person is at the roster's university, whatever the provider's.
        assert_eq!(p.university, Some(DEFAULT_UNIVERSITY));
        // A national provider gives the national ID alone: the roster fills in the rest.
        let p = Person::from_oidc(&identity(None, None), Some(&roster), None, "c".into(), 1);
        assert_eq!(p.student_number.as_deref(), Some("810199123"));
        assert_eq!(p.mobile.as_deref(), Some("09121234567"));
        // Not on the roster: the token's alone, at the provider's university if it has one.
        let token = identity(None, Some("09130000000"));
        let p = Person::from_oidc(&token, None, Some(UniversityId(2)), "c".into(), 1);
        assert_eq!(
            (p.student_number, p.mobile.as_deref(), p.faculty, p.level),
            (None, Some("09130000000"), None, None)
        );
        assert_eq!(p.university, Some(UniversityId(2)));
        let p = Person::from_oidc(&token, None, None, "c".into(), 1);
        assert_eq!(p.university, None);
        // A roster row of someone else adds nothing.
        let other = RosterPerson::of(
            &parse_roster(DEMO_ROSTER.as_bytes()).unwrap()[0],
            DEFAULT_UNIVERSITY,
        );
        let p = Person::from_oidc(&identity(None, None), Some(&other), None, "c".into(), 1);
        assert_eq!((p.student_number, p.faculty), (None, None));
    }

    #[test]
    fn sources_are_stored_by_id() {
        for source in [SigninSource::Roster, SigninSource::Oidc] {
            assert_eq!(source_of(source_id(source)), Some(source));
        }
        assert_eq!(source_of("sso"), None);
    }
}
