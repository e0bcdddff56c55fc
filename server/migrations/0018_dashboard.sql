-- Issue 16, the offices' dashboard (docs/staff-api.md, "Dashboard"). Its figures must not read
-- the whole audit trail per view, so:
--
-- * `duration_buckets`: fixed, log-scaled buckets of a step's duration: bucket 0 is under a
--   minute, bucket k >= 1 starts at round(60 * 2^((k-1)/4)) seconds (each bucket 19% wider than
--   the one before; the last, 85, starts at about four years). A percentile read from them is
--   the bucket's geometric middle: within 9% of the true value.
-- * `move_summary`: one row per (Saturday-start week in Tehran, university, faculty, county,
--   process, state left, state entered, duration bucket) with how many audit rows fell there.
--   The filing's own row has from_state '' and bucket 0. Faculty and county are '' when the
--   request has none. Week w starts on the Saturday at unix second w * 604800 - 444600
--   (00:00 in Tehran, UTC+03:30).
-- * the trigger `audit_summary` keeps it: every audit row, whoever writes it (the filing
--   writer, a move, the police office's filing), counts in the same transaction; its duration is
--   the time since the request's previous audit row. The request's university, faculty and
--   county are as they are when the row is written (after a move's update).
-- * the backfill below counts the audit trail written before this migration, the same way (the
--   previous row's time by a window over the trail, read once in index order).
-- * `requests_waiting`: the waiting counts and the stale count read only the index entries of
--   the waiting states (by state, then the scope's columns), never the finished requests.
-- PostgreSQL's twin: server/migrations/postgres/0018_dashboard.sql.

CREATE TABLE duration_buckets (
    bucket INTEGER PRIMARY KEY,
    lower_seconds INTEGER NOT NULL
);
INSERT INTO duration_buckets (bucket, lower_seconds) VALUES
    (0, 0),
    (1, 60),
    (2, 71),
    (3, 85),
    (4, 101),
    (5, 120),
    (6, 143),
    (7, 170),
    (8, 202),
    (9, 240),
    (10, 285),
    (11, 339),
    (12, 404),
    (13, 480),
    (14, 571),
    (15, 679),
    (16, 807),
    (17, 960),
    (18, 1142),
    (19, 1358),
    (20, 1615),
    (21, 1920),
    (22, 2283),
    (23, 2715),
    (24, 3229),
    (25, 3840),
    (26, 4567),
    (27, 5431),
    (28, 6458),
    (29, 7680),
    (30, 9133),
    (31, 10861),
    (32, 12916),
    (33, 15360),
    (34, 18266),
    (35, 21722),
    (36, 25832),
    (37, 30720),
    (38, 36532),
    (39, 43445),
    (40, 51665),
    (41, 61440),
    (42, 73065),
    (43, 86889),
    (44, 103329),
    (45, 122880),
    (46, 146130),
    (47, 173779),
    (48, 206659),
    (49, 245760),
    (50, 292260),
    (51, 347557),
    (52, 413317),
    (53, 491520),
    (54, 584519),
    (55, 695114),
    (56, 826635),
    (57, 983040),
    (58, 1169038),
    (59, 1390229),
    (60, 1653270),
    (61, 1966080),
    (62, 2338076),
    (63, 2780457),
    (64, 3306539),
    (65, 3932160),
    (66, 4676153),
    (67, 5560914),
    (68, 6613078),
    (69, 7864320),
    (70, 9352305),
    (71, 11121828),
    (72, 13226157),
    (73, 15728640),
    (74, 18704611),
    (75, 22243656),
    (76, 26452314),
    (77, 31457280),
    (78, 37409221),
    (79, 44487312),
    (80, 52904628),
    (81, 62914560),
    (82, 74818442),
    (83, 88974624),
    (84, 105809256),
    (85, 125829120);
CREATE UNIQUE INDEX duration_buckets_by_lower ON duration_buckets (lower_seconds, bucket);

CREATE TABLE move_summary (
    week INTEGER NOT NULL,
    university_id INTEGER NOT NULL,
    faculty TEXT NOT NULL,
    county TEXT NOT NULL,
    process TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (week, university_id, faculty, county, process, from_state, to_state, bucket)
);
CREATE INDEX move_summary_by_faculty ON move_summary (university_id, faculty, week);
CREATE INDEX move_summary_by_county ON move_summary (county, week);

INSERT INTO move_summary (week, university_id, faculty, county, process, from_state, to_state,
        bucket, n)
    SELECT week, university_id, faculty, county, process, from_state, to_state, bucket, COUNT(*)
    FROM (SELECT (x.at + 444600) / 604800 AS week, COALESCE(r.university_id, 1) AS university_id,
                 COALESCE(r.faculty, '') AS faculty, COALESCE(r.county, '') AS county,
                 COALESCE(r.process, CASE r.kind WHEN 'withdrawal' THEN 'withdrawal'
                                                 WHEN 'clearance' THEN 'clearance'
                                                 ELSE 'exemption_a1' END) AS process,
                 COALESCE(x.from_status, '') AS from_state, x.to_status AS to_state,
                 COALESCE((SELECT b.bucket FROM duration_buckets b
                           WHERE b.lower_seconds <= x.d
                           ORDER BY b.lower_seconds DESC LIMIT 1), 0) AS bucket
          FROM (SELECT a.request_id, a.at, a.from_status, a.to_status,
                       a.at - LAG(a.at) OVER (PARTITION BY a.request_id ORDER BY a.id) AS d
                FROM audit a) x
          JOIN requests r ON r.id = x.request_id) y
    WHERE true
    GROUP BY week, university_id, faculty, county, process, from_state, to_state, bucket;

CREATE TRIGGER audit_summary AFTER INSERT ON audit
BEGIN
    INSERT INTO move_summary (week, university_id, faculty, county, process, from_state,
            to_state, bucket, n)
        SELECT (NEW.at + 444600) / 604800, COALESCE(r.university_id, 1),
               COALESCE(r.faculty, ''), COALESCE(r.county, ''),
               COALESCE(r.process, CASE r.kind WHEN 'withdrawal' THEN 'withdrawal'
                                               WHEN 'clearance' THEN 'clearance'
                                               ELSE 'exemption_a1' END),
               COALESCE(NEW.from_status, ''), NEW.to_status,
               COALESCE((SELECT b.bucket FROM duration_buckets b
                         WHERE b.lower_seconds <= NEW.at - (SELECT p.at FROM audit p
                             WHERE p.request_id = NEW.request_id AND p.id < NEW.id
                             ORDER BY p.id DESC LIMIT 1)
                         ORDER BY b.lower_seconds DESC LIMIT 1), 0),
               1
        FROM requests r WHERE r.id = NEW.request_id
        ON CONFLICT (week, university_id, faculty, county, process, from_state, to_state, bucket)
            DO UPDATE SET n = move_summary.n + 1;
END;

CREATE INDEX requests_waiting ON requests (status, university_id, faculty, county, process,
    updated_at);
