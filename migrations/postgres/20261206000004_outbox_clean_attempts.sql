-- Tries of a write that certainly did not reach Lever (a 429, a 401, or a stop before the
-- write call). A retry checks Lever for an earlier try's write only when some earlier try
-- may have reached it, so a write slowed by rate limits costs no extra reads.
ALTER TABLE outbox ADD COLUMN clean_attempts BIGINT NOT NULL DEFAULT 0;
