-- Issue 14, many universities: a university is a record with its faculties and its own ordered
-- clearance offices; every request and roster row belongs to one; a clerk's scope is structured
-- (national, a university, a faculty of a university, a county) in typed columns. Today's data
-- goes to the default university (id 1, «دانشگاه نمونه», the demo roster's university).
-- Portable SQL as in 0001 (server/migrations/postgres/0012_universities.sql is PostgreSQL's).

CREATE TABLE universities (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,                   -- lowercase ASCII: what a request names it by
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL
);
INSERT INTO universities (id, code, name_fa, name_en)
    VALUES (1, 'default', 'دانشگاه نمونه', 'Sample university');

-- A faculty's code is what the university's roster and requests name it by.
CREATE TABLE faculties (
    university_id BIGINT NOT NULL REFERENCES universities (id),
    code TEXT NOT NULL,
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL,
    PRIMARY KEY (university_id, code)
);

-- The roster's rows belong to a university (its free-text name matched, else the default).
ALTER TABLE roster ADD COLUMN university_id BIGINT REFERENCES universities (id);
UPDATE roster SET university_id = COALESCE(
    (SELECT u.id FROM universities u WHERE u.name_fa = roster.university), 1);

-- Every request belongs to a university: an exemption to the university of study its answers
-- name, a withdrawal or clearance to its student's roster row; else the default. `route` is a
-- clearance's offices in order, as they were when it was filed (JSON: rules' ClearanceOffice
-- list), so a change of the university's offices never strands it.
ALTER TABLE requests ADD COLUMN university_id BIGINT REFERENCES universities (id);
ALTER TABLE requests ADD COLUMN route TEXT;
UPDATE requests SET university_id = CASE WHEN kind = 'exemption'
    THEN COALESCE((SELECT u.id FROM universities u
                   WHERE u.code = requests.university OR u.name_fa = requests.university), 1)
    ELSE COALESCE((SELECT r.university_id FROM roster r
                   WHERE r.national_id = requests.national_id), 1) END;
CREATE INDEX requests_by_university ON requests (university_id, status);

-- The clearance offices, per university (the existing list is the default university's; a new
-- university starts from seed 002's list).
CREATE TABLE university_offices (
    university_id BIGINT NOT NULL REFERENCES universities (id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL,
    receives_student_card INTEGER NOT NULL DEFAULT 0,
    records_debt INTEGER NOT NULL DEFAULT 0,
    records_instalments INTEGER NOT NULL DEFAULT 0,
    evening_course_only INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (university_id, id)
);
INSERT INTO university_offices (university_id, id, position, name_fa, name_en,
        receives_student_card, records_debt, records_instalments, evening_course_only)
    SELECT 1, id, position, name_fa, name_en, receives_student_card, records_debt,
           records_instalments, evening_course_only FROM clearance_offices;
DROP TABLE clearance_offices;
ALTER TABLE university_offices RENAME TO clearance_offices;

-- A clerk's scope in typed columns: kind 'national', 'university' (scope_university_id),
-- 'faculty' (scope_university_id, scope_faculty) or 'county' (scope_county). The free-text
-- scope is read once more here: '*' is national; a county for the conscription roles; a
-- university (by code or Persian name, else the default) for the university user; a faculty of
-- the default university for the faculty roles.
ALTER TABLE users ADD COLUMN scope_kind TEXT NOT NULL DEFAULT 'national';
ALTER TABLE users ADD COLUMN scope_university_id BIGINT REFERENCES universities (id);
ALTER TABLE users ADD COLUMN scope_faculty TEXT;
ALTER TABLE users ADD COLUMN scope_county TEXT;
UPDATE users SET scope_kind = 'county', scope_county = scope
    WHERE scope <> '*' AND role IN ('conscription_expert', 'conscription_deputy', 'police_office');
UPDATE users SET scope_kind = 'university', scope_university_id = COALESCE(
        (SELECT u.id FROM universities u WHERE u.code = users.scope OR u.name_fa = users.scope), 1)
    WHERE scope <> '*' AND role = 'university_user';
UPDATE users SET scope_kind = 'faculty', scope_university_id = 1, scope_faculty = scope
    WHERE scope <> '*' AND role IN ('faculty_expert', 'head_of_faculty_education');
ALTER TABLE users DROP COLUMN scope;

-- The default university's faculties: those its roster, requests and clerks name.
INSERT INTO faculties (university_id, code, name_fa, name_en)
    SELECT DISTINCT 1, f, f, f FROM (
        SELECT faculty AS f FROM roster WHERE university_id = 1
        UNION SELECT faculty FROM requests WHERE university_id = 1 AND faculty IS NOT NULL
        UNION SELECT scope_faculty FROM users WHERE scope_kind = 'faculty') named
    WHERE f <> '';
