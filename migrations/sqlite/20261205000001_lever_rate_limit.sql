-- The pace of calls to Lever's API per organization, shared by every Tryout process on
-- this database. Lever limits each key to about 10 requests per second; each call reserves
-- the next free slot here, so adding processes does not multiply the rate.
-- next_slot_at is the earliest time (UTC milliseconds) the next call may start.
CREATE TABLE lever_rate_limits (
    organization_id  TEXT PRIMARY KEY REFERENCES organizations (id),
    next_slot_at     BIGINT NOT NULL
);
