-- Versions of a role's portal. Role owners edit a draft version; publishing freezes it, and
-- a candidate stays on the version whose first step they started, so later edits reach only
-- later candidates. Steps move under their version. (The SQLite twin of this file rebuilds
-- `steps`; here the constraints change in place.)

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

ALTER TABLE steps ADD COLUMN version_id TEXT REFERENCES portal_versions (id) ON DELETE CASCADE;
UPDATE steps SET version_id = 'v1-' || role_id;
ALTER TABLE steps ALTER COLUMN version_id SET NOT NULL;
ALTER TABLE steps DROP CONSTRAINT steps_role_id_position_key;
ALTER TABLE steps ADD CONSTRAINT steps_version_id_position_key UNIQUE (version_id, position);
CREATE INDEX steps_role ON steps (organization_id, role_id);

-- kind lists the step kinds of the whole product; the server accepts only the kinds it
-- implements. settings_json holds a kind's own settings (a culture video's source, for one).
-- shuffle_options shuffles a quiz's choice options.
ALTER TABLE steps DROP CONSTRAINT steps_kind_check;
ALTER TABLE steps ADD CONSTRAINT steps_kind_check
    CHECK (kind IN ('content', 'video', 'quiz', 'code', 'video_answers', 'take_home', 'booking'));
ALTER TABLE steps ADD COLUMN shuffle_options BIGINT NOT NULL DEFAULT 0 CHECK (shuffle_options IN (0, 1));
ALTER TABLE steps ADD COLUMN settings_json TEXT NOT NULL DEFAULT '{}';

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
