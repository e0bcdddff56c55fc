//! Small values many answers share: a moment in both calendars, the withdrawal's deadlines,
//! universities and their faculties, the health answer.

use serde::{Deserialize, Serialize};

/// A moment: its Jalali day in Tehran and its UTC time (RFC 3339, to the second).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Moment {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub jalali: String,
    #[cfg_attr(feature = "openapi", schema(format = DateTime, examples("2024-10-06T10:00:00Z")))]
    pub utc: String,
}

/// A withdrawal's deadlines (`rules.md` §5); null for the other processes.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    /// The last day to take the withdrawal back.
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub revocation_deadline: String,
    /// The first day the final ruling may be issued.
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub final_ruling_from: String,
    /// Whether the student may still take it back (inside the deadline, once).
    pub can_revoke: bool,
}

/// A university as the public list shows it: its code (what an exemption names it by) and
/// its names.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UniversityEntry {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_-]{1,32}$"))]
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
}

/// `POST /api/v1/admin/universities`: a new university (the national admin's); it starts with
/// seed 002's clearance offices.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUniversity {
    /// 1 to 32 of `a-z 0-9 _ -`: what an exemption names it by.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[a-z0-9_-]{1,32}\\s*$"))]
    pub code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub name_fa: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub name_en: Option<String>,
}

/// `GET /api/v1/universities`: every university, the default one first.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Universities {
    pub universities: Vec<UniversityEntry>,
}

/// A university's faculty: its code (what the university's roster and requests name it by, and
/// a faculty clerk's scope) and its names.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacultyEntry {
    pub code: String,
    pub name_fa: String,
    pub name_en: String,
}

/// `POST /api/v1/admin/universities/{university}/faculties`: a new faculty of that university.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFaculty {
    /// 1 to 100 characters, not `*` (Persian text too): what the roster and requests name the
    /// faculty by.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[^*\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]{0,99}$"))]
    pub code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub name_fa: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub name_en: Option<String>,
}

/// `GET /api/v1/admin/universities/{university}/faculties`: the university's faculties, by code.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Faculties {
    pub faculties: Vec<FacultyEntry>,
}

/// `GET /api/v1/health`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^ok$"))]
    pub status: String,
}
