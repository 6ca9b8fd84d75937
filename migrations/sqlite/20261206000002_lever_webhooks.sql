-- Learning about candidates from Lever: the webhooks Tryout registered through the API, the
-- deliveries Lever sent to them (queued, and remembered to reject replays), the polling
-- high-water marks, and applications that Lever closed by archiving or deleting the opportunity.

-- One row per event Tryout subscribed to. Lever returns the signing token only when the
-- webhook is created, so it is kept here, sealed with the server's secret key.
CREATE TABLE lever_webhooks (
    organization_id      TEXT NOT NULL REFERENCES organizations (id),
    event                TEXT NOT NULL,
    lever_webhook_id     TEXT NOT NULL,
    signature_token_enc  TEXT NOT NULL,
    url                  TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    PRIMARY KEY (organization_id, event)
);

-- Accepted deliveries, handled by the webhook worker. token is Lever's random value of one
-- delivery: a second delivery with the same token is a replay and is rejected.
CREATE TABLE lever_webhook_events (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    token            TEXT NOT NULL,
    event            TEXT NOT NULL,
    opportunity_id   TEXT,
    to_stage_id      TEXT,
    triggered_at     BIGINT NOT NULL,
    received_at      BIGINT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'handling', 'handled', 'failed')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL,
    claimed_until    BIGINT,
    last_error       TEXT,
    handled_at       BIGINT,
    UNIQUE (organization_id, token)
);
CREATE INDEX lever_webhook_events_due ON lever_webhook_events (status, next_attempt_at);

-- Where each periodic poll of Lever continues from: the latest Lever timestamp (ms) it has
-- handled. name is 'invite:<stage id>:<posting id or empty>', 'archived' or 'deleted'.
CREATE TABLE lever_poll_marks (
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    name             TEXT NOT NULL,
    high_water       BIGINT NOT NULL,
    polled_at        BIGINT NOT NULL,
    PRIMARY KEY (organization_id, name)
);

-- An application closes when Lever archives or deletes its opportunity before the candidate
-- finished; its link then says so instead of opening the portal.
ALTER TABLE applications ADD COLUMN closed_at BIGINT;
ALTER TABLE applications ADD COLUMN closed_reason TEXT;
CREATE INDEX applications_opportunity ON applications (organization_id, lever_opportunity_id);
