-- Staff accounts beyond the first Super Admin: job owners and reviewers, one-time links
-- emailed to staff, counters that throttle failed sign-ins, and the audit log.

-- Who owns or reviews each job. Team Members edit the jobs they own; Limited Team Members
-- see and review only the jobs they are assigned to. Admins and Super Admins need no row.
CREATE TABLE role_members (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    role_id          TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    staff_user_id    TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    membership       TEXT NOT NULL CHECK (membership IN ('owner', 'reviewer')),
    added_at         BIGINT NOT NULL,
    PRIMARY KEY (role_id, staff_user_id)
);
CREATE INDEX role_members_staff ON role_members (organization_id, staff_user_id);

-- One-time links sent to staff by email: an invitation (set a first password), a sign-in
-- link, or a password reset. token_hash is the SHA-256 of the link's token; the token is
-- only ever in the email. A link works once: used_at is set in the transaction that uses it.
CREATE TABLE staff_tokens (
    token_hash       TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    staff_user_id    TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    purpose          TEXT NOT NULL CHECK (purpose IN ('invitation', 'sign_in', 'password_reset')),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT
);
CREATE INDEX staff_tokens_staff_user ON staff_tokens (staff_user_id, purpose);

-- Failed sign-ins in the current window, per account and per client address. The key is
-- 'account:' and the SHA-256 of the lowercased email (so an email that has no account is
-- throttled the same way, and no address is stored in the clear), or 'address:' and the IP.
CREATE TABLE sign_in_failures (
    throttle_key       TEXT PRIMARY KEY,
    failures           BIGINT NOT NULL,
    window_started_at  BIGINT NOT NULL,
    locked_until       BIGINT
);

-- Who did what and when. actor_name and object_label are copies taken at the time, so an
-- entry still reads correctly after the person or the job is renamed or removed.
CREATE TABLE audit_events (
    id                   TEXT PRIMARY KEY,
    organization_id      TEXT NOT NULL REFERENCES organizations (id),
    actor_staff_user_id  TEXT,
    actor_name           TEXT NOT NULL,
    action               TEXT NOT NULL,
    object_type          TEXT NOT NULL,
    object_id            TEXT,
    object_label         TEXT NOT NULL,
    detail               TEXT NOT NULL DEFAULT '',
    created_at           BIGINT NOT NULL
);
-- The audit page lists an organization's events newest first, optionally by action or actor.
CREATE INDEX audit_events_organization ON audit_events (organization_id, id);
CREATE INDEX audit_events_action ON audit_events (organization_id, action, id);
CREATE INDEX audit_events_actor ON audit_events (organization_id, actor_staff_user_id, id);

-- When the person was invited, last signed in, and was deactivated (NULL while active).
ALTER TABLE staff_users ADD COLUMN invited_at BIGINT;
ALTER TABLE staff_users ADD COLUMN last_sign_in_at BIGINT;
ALTER TABLE staff_users ADD COLUMN deactivated_at BIGINT;
