-- Issue 14, each university's roster and sign-in provider: a student number is a university's
-- own (two universities may give the same one), so it is unique per university, not across the
-- country; a national ID stays unique (a person is on one university's roster at a time).
-- A person session keeps the university its sign-in placed the person at (the roster row's, or
-- the one university of the OpenID provider that signed them in), and a request the university
-- of the identity that filed it: a withdrawal or clearance of someone the roster does not place
-- is filed there (store::UNIVERSITY_OF_REQUEST).
-- PostgreSQL's twin of server/migrations/0013_university_rosters.sql (the same steps, its types).

UPDATE roster SET university_id = 1 WHERE university_id IS NULL;
ALTER TABLE roster ALTER COLUMN university_id SET NOT NULL;
ALTER TABLE roster DROP CONSTRAINT roster_student_number_key;
ALTER TABLE roster ADD CONSTRAINT roster_university_student_number_key
    UNIQUE (university_id, student_number);

ALTER TABLE person_sessions ADD COLUMN university_id BIGINT REFERENCES universities (id);
ALTER TABLE requests ADD COLUMN identity_university_id BIGINT REFERENCES universities (id);
