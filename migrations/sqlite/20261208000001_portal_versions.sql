-- Versions of a role's portal. Role owners edit a draft version; publishing freezes it, and
-- a candidate stays on the version whose first step they started, so later edits reach only
-- later candidates. Steps move under their version, which needs a rebuilt `steps` table on
-- SQLite, because its UNIQUE (role_id, position) cannot be dropped in place.
--
-- sqlx 0.8 runs every SQLite migration inside a transaction, where `PRAGMA foreign_keys = OFF`
-- has no effect. So the rows that reference `steps` (quiz questions and step progress) are set
-- aside in temporary tables and put back once the new table has the old name, and the checks
-- wait for the commit (`defer_foreign_keys`), when every reference resolves again.
PRAGMA defer_foreign_keys = ON;

-- status: 'draft' is the one editable version of a role, 'published' the one new candidates
-- get, and 'superseded' a version some candidates may still be working through.
CREATE TABLE portal_versions (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    role_id          TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    number           BIGINT NOT NULL CHECK (number > 0),
    status           TEXT NOT NULL CHECK (status IN ('draft', 'published', 'superseded')),
    created_at       BIGINT NOT NULL,
    published_at     BIGINT,
    published_by     TEXT REFERENCES staff_users (id),
    UNIQUE (role_id, number)
);
CREATE UNIQUE INDEX portal_versions_one_draft ON portal_versions (role_id) WHERE status = 'draft';
CREATE UNIQUE INDEX portal_versions_one_published ON portal_versions (role_id) WHERE status = 'published';

-- Every existing role gets version 1 holding its current steps. It counts as published when
-- the role was ever published or has candidates, so nobody's portal changes under them.
INSERT INTO portal_versions (id, organization_id, role_id, number, status, created_at, published_at)
SELECT 'v1-' || r.id, r.organization_id, r.id, 1,
       CASE WHEN r.status <> 'draft' OR EXISTS (SELECT 1 FROM applications a WHERE a.role_id = r.id)
            THEN 'published' ELSE 'draft' END,
       r.created_at,
       CASE WHEN r.status <> 'draft' OR EXISTS (SELECT 1 FROM applications a WHERE a.role_id = r.id)
            THEN r.updated_at END
FROM roles r;

-- kind lists the step kinds of the whole product, so a later kind needs no second rebuild;
-- the server accepts only the kinds it implements. settings_json holds a kind's own settings
-- (a culture video's source, for one). shuffle_options shuffles a quiz's choice options.
CREATE TEMP TABLE quiz_questions_kept AS SELECT * FROM quiz_questions;
CREATE TEMP TABLE step_progress_kept AS SELECT * FROM step_progress;
DELETE FROM step_progress;
DELETE FROM quiz_questions;

CREATE TABLE steps_by_version (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations (id),
    role_id            TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    version_id         TEXT NOT NULL REFERENCES portal_versions (id) ON DELETE CASCADE,
    position           BIGINT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('content', 'video', 'quiz', 'code', 'video_answers', 'take_home', 'booking')),
    title              TEXT NOT NULL CHECK (length(title) > 0),
    body_md            TEXT NOT NULL DEFAULT '',
    required           BIGINT NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    time_limit_secs    BIGINT CHECK (time_limit_secs > 0),
    pass_percent       BIGINT CHECK (pass_percent BETWEEN 0 AND 100),
    shuffle_questions  BIGINT NOT NULL DEFAULT 0 CHECK (shuffle_questions IN (0, 1)),
    shuffle_options    BIGINT NOT NULL DEFAULT 0 CHECK (shuffle_options IN (0, 1)),
    settings_json      TEXT NOT NULL DEFAULT '{}',
    UNIQUE (version_id, position)
);
INSERT INTO steps_by_version (id, organization_id, role_id, version_id, position, kind, title, body_md, required,
                              time_limit_secs, pass_percent, shuffle_questions)
SELECT id, organization_id, role_id, 'v1-' || role_id, position, kind, title, body_md, required,
       time_limit_secs, pass_percent, shuffle_questions
FROM steps;
DROP TABLE steps;
ALTER TABLE steps_by_version RENAME TO steps;
CREATE INDEX steps_role ON steps (organization_id, role_id);

INSERT INTO quiz_questions SELECT * FROM quiz_questions_kept;
INSERT INTO step_progress SELECT * FROM step_progress_kept;
DROP TABLE quiz_questions_kept;
DROP TABLE step_progress_kept;

-- A time limit for one question, in seconds, within the quiz's own limit.
ALTER TABLE quiz_questions ADD COLUMN time_limit_secs BIGINT CHECK (time_limit_secs > 0);

-- The own clock of a timed question, started when the candidate first opens it. Answers to the
-- question after deadline_at (plus the network grace) are rejected on the server.
CREATE TABLE question_timers (
    application_id   TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    question_id      TEXT NOT NULL REFERENCES quiz_questions (id),
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    started_at       BIGINT NOT NULL,
    deadline_at      BIGINT NOT NULL,
    PRIMARY KEY (application_id, question_id)
);

-- The version an application is pinned to, set when its candidate starts a first step.
-- Applications that already started are pinned to version 1.
ALTER TABLE applications ADD COLUMN version_id TEXT REFERENCES portal_versions (id);
UPDATE applications SET version_id = 'v1-' || role_id
WHERE EXISTS (SELECT 1 FROM step_progress p WHERE p.application_id = applications.id);
