-- Issue 14, each university's roster and sign-in provider: a student number is a university's
-- own (two universities may give the same one), so it is unique per university, not across the
-- country; a national ID stays unique (a person is on one university's roster at a time).
-- A person session keeps the university its sign-in placed the person at (the roster row's, or
-- the one university of the OpenID provider that signed them in), and a request the university
-- of the identity that filed it: a withdrawal or clearance of someone the roster does not place
-- is filed there (store::UNIVERSITY_OF_REQUEST). Portable SQL as in 0001
-- (server/migrations/postgres/0013_university_rosters.sql is PostgreSQL's).

-- SQLite cannot drop a column's UNIQUE: the roster is made again, its rows kept.
CREATE TABLE roster_by_university (
    id INTEGER PRIMARY KEY,
    student_number TEXT NOT NULL,                -- ASCII digits and Latin capitals
    national_id TEXT NOT NULL UNIQUE,            -- ten ASCII digits, check digit verified
    mobile TEXT NOT NULL,                        -- 09xxxxxxxxx: codes go here, never elsewhere
    faculty TEXT NOT NULL,
    level TEXT NOT NULL,                         -- rules::Level::id
    status TEXT NOT NULL CHECK (status IN ('student', 'admitted')),
    university TEXT NOT NULL DEFAULT '',         -- the file's `university` column, as given
    imported_at BIGINT NOT NULL,                 -- when the row was last added or changed
    university_id BIGINT NOT NULL REFERENCES universities (id),
    UNIQUE (university_id, student_number)
);
INSERT INTO roster_by_university (id, student_number, national_id, mobile, faculty, level,
        status, university, imported_at, university_id)
    SELECT id, student_number, national_id, mobile, faculty, level, status, university,
           imported_at, COALESCE(university_id, 1) FROM roster;
DROP TABLE roster;
ALTER TABLE roster_by_university RENAME TO roster;

ALTER TABLE person_sessions ADD COLUMN university_id BIGINT REFERENCES universities (id);
ALTER TABLE requests ADD COLUMN identity_university_id BIGINT REFERENCES universities (id);
