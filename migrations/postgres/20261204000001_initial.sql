-- PostgreSQL twin of migrations/sqlite/20261204000001_initial.sql: the same tables, columns
-- and constraints, so one query text serves both backends.
--
-- Tryout's first schema: organizations and staff, roles with their steps and quiz questions,
-- candidates and their applications, the Lever connection and its cached lists, and the
-- outbox of writes to Lever. Every row that belongs to an organization carries its id, and
-- every query filters by it.

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Email is unique across the deployment because sign-in starts from an email alone.
CREATE TABLE staff_users (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    email            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('super_admin', 'admin', 'team_member', 'limited_team_member')),
    password_hash    TEXT,
    active           BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       BIGINT NOT NULL
);
CREATE INDEX staff_users_organization ON staff_users (organization_id);

-- id_hash is the SHA-256 of the cookie value; the value itself is never stored.
CREATE TABLE sessions (
    id_hash          TEXT PRIMARY KEY,
    staff_user_id    TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE INDEX sessions_staff_user ON sessions (staff_user_id);

-- OAuth `state` values, bound to the session that started the flow; single use.
CREATE TABLE oauth_states (
    state_hash       TEXT PRIMARY KEY,
    session_id_hash  TEXT NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    staff_user_id    TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);

-- A role (a job) and its mapping to Lever: the stage that invites candidates into the
-- portal, the stage a passing candidate moves to, and the archive reason for a failing one.
-- With auto_decide = 0 the result is posted to Lever but the move waits for a reviewer.
CREATE TABLE roles (
    id                      TEXT PRIMARY KEY,
    organization_id         TEXT NOT NULL REFERENCES organizations (id),
    title                   TEXT NOT NULL,
    team                    TEXT,
    location                TEXT,
    intro_md                TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
    lever_posting_id        TEXT,
    invite_stage_id         TEXT,
    pass_stage_id           TEXT,
    fail_archive_reason_id  TEXT,
    auto_decide             BIGINT NOT NULL DEFAULT 1 CHECK (auto_decide IN (0, 1)),
    deadline_days           BIGINT CHECK (deadline_days > 0),
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL
);
CREATE INDEX roles_organization ON roles (organization_id);

-- An ordered step of a role's portal. Quiz steps use the time limit (seconds, counted on
-- the server), the pass mark (percent of auto-scored points) and the shuffle flag.
CREATE TABLE steps (
    id                 TEXT PRIMARY KEY,
    organization_id    TEXT NOT NULL REFERENCES organizations (id),
    role_id            TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position           BIGINT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('content', 'quiz')),
    title              TEXT NOT NULL CHECK (length(title) > 0),
    body_md            TEXT NOT NULL DEFAULT '',
    required           BIGINT NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    time_limit_secs    BIGINT CHECK (time_limit_secs > 0),
    pass_percent       BIGINT CHECK (pass_percent BETWEEN 0 AND 100),
    shuffle_questions  BIGINT NOT NULL DEFAULT 0 CHECK (shuffle_questions IN (0, 1)),
    UNIQUE (role_id, position)
);

-- options_json: [{"id","label"}]; correct_json by kind: single_choice "id",
-- multiple_choice ["id", ...], short_text ["accepted", ...] or null when a person reviews
-- it, number {"value": n, "tolerance": t}. A knockout question answered wrongly fails the
-- candidate whatever their score.
CREATE TABLE quiz_questions (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    step_id          TEXT NOT NULL REFERENCES steps (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'short_text', 'number')),
    prompt           TEXT NOT NULL CHECK (length(prompt) > 0),
    options_json     TEXT NOT NULL DEFAULT '[]',
    correct_json     TEXT NOT NULL DEFAULT 'null',
    points           BIGINT NOT NULL DEFAULT 1 CHECK (points >= 0),
    knockout         BIGINT NOT NULL DEFAULT 0 CHECK (knockout IN (0, 1)),
    max_length       BIGINT CHECK (max_length > 0),
    UNIQUE (step_id, position)
);

CREATE TABLE candidates (
    id                TEXT PRIMARY KEY,
    organization_id   TEXT NOT NULL REFERENCES organizations (id),
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    lever_contact_id  TEXT,
    created_at        BIGINT NOT NULL,
    UNIQUE (organization_id, email)
);

-- One candidate's journey through one role. link_token_hash is the SHA-256 of the personal
-- link's token; the token itself is only ever sent to the candidate.
CREATE TABLE applications (
    id                    TEXT PRIMARY KEY,
    organization_id       TEXT NOT NULL REFERENCES organizations (id),
    role_id               TEXT NOT NULL REFERENCES roles (id),
    candidate_id          TEXT NOT NULL REFERENCES candidates (id),
    lever_opportunity_id  TEXT,
    link_token_hash       TEXT NOT NULL UNIQUE,
    link_expires_at       BIGINT,
    status                TEXT NOT NULL DEFAULT 'invited'
                          CHECK (status IN ('invited', 'in_progress', 'completed', 'advanced', 'archived')),
    invited_at            BIGINT NOT NULL,
    opened_at             BIGINT,
    completed_at          BIGINT,
    deadline_at           BIGINT,
    UNIQUE (organization_id, role_id, candidate_id)
);
CREATE INDEX applications_role ON applications (organization_id, role_id);

-- A candidate's state in one step. For quizzes: when it started, when time runs out
-- (deadline_at, enforced on the server), the order the candidate saw, and the result.
CREATE TABLE step_progress (
    application_id       TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    step_id              TEXT NOT NULL REFERENCES steps (id),
    organization_id      TEXT NOT NULL REFERENCES organizations (id),
    status               TEXT NOT NULL CHECK (status IN ('started', 'completed')),
    started_at           BIGINT NOT NULL,
    deadline_at          BIGINT,
    completed_at         BIGINT,
    timed_out            BIGINT NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1)),
    question_order_json  TEXT,
    score_points         BIGINT,
    max_points           BIGINT,
    knockout_failed      BIGINT CHECK (knockout_failed IN (0, 1)),
    PRIMARY KEY (application_id, step_id)
);

-- The latest saved answer per question; autosave overwrites it.
CREATE TABLE answers (
    application_id   TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    question_id      TEXT NOT NULL REFERENCES quiz_questions (id),
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    value_json       TEXT NOT NULL,
    saved_at         BIGINT NOT NULL,
    PRIMARY KEY (application_id, question_id)
);

-- The organization's Lever connection. Tokens are sealed with the server's secret key.
CREATE TABLE lever_connections (
    organization_id     TEXT PRIMARY KEY REFERENCES organizations (id),
    status              TEXT NOT NULL CHECK (status IN ('live', 'revoked')),
    access_token_enc    TEXT,
    refresh_token_enc   TEXT,
    access_expires_at   BIGINT,
    scopes              TEXT,
    connected_by        TEXT REFERENCES staff_users (id),
    connected_at        BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    last_error          TEXT
);

-- Cached Lever lists, refreshed on connect and on demand. position keeps Lever's order.
CREATE TABLE lever_stages (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    id               TEXT NOT NULL,
    text             TEXT NOT NULL,
    position         BIGINT NOT NULL,
    refreshed_at     BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE lever_archive_reasons (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    id               TEXT NOT NULL,
    text             TEXT NOT NULL,
    status           TEXT,
    reason_type      TEXT,
    refreshed_at     BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE lever_users (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT,
    access_role      TEXT,
    deactivated      BIGINT NOT NULL DEFAULT 0 CHECK (deactivated IN (0, 1)),
    refreshed_at     BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

CREATE TABLE lever_postings (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    id               TEXT NOT NULL,
    text             TEXT NOT NULL,
    state            TEXT,
    team             TEXT,
    location         TEXT,
    refreshed_at     BIGINT NOT NULL,
    PRIMARY KEY (organization_id, id)
);

-- Writes to Lever, inserted in the same transaction as the change that caused them and
-- sent by the outbox worker in creation order per opportunity. marker is written into
-- notes so a note whose response was lost is found, not posted twice.
CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    application_id   TEXT REFERENCES applications (id),
    opportunity_id   TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('note', 'stage', 'archive')),
    payload_json     TEXT NOT NULL,
    marker           TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    lever_ref        TEXT,
    created_at       BIGINT NOT NULL,
    sent_at          BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_opportunity ON outbox (organization_id, opportunity_id, id);
