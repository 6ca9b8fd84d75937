-- Reviews of finished candidates. A role's rubric lists the criteria reviewers score from
-- 1 to 4, in order, with guidance for each.
CREATE TABLE rubric_criteria (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    role_id          TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position         BIGINT NOT NULL,
    name             TEXT NOT NULL CHECK (length(name) > 0),
    guidance         TEXT NOT NULL DEFAULT '',
    UNIQUE (role_id, position)
);

-- One reviewer's review of one application, final once submitted. recommendation is on
-- Lever's 1 to 4 note score scale: 1 strong no, 2 no, 3 yes, 4 strong yes. reviewer_name is
-- kept as it was, like an audit entry's actor.
CREATE TABLE reviews (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    application_id   TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    staff_user_id    TEXT NOT NULL REFERENCES staff_users (id),
    reviewer_name    TEXT NOT NULL,
    recommendation   BIGINT NOT NULL CHECK (recommendation BETWEEN 1 AND 4),
    comment          TEXT NOT NULL DEFAULT '',
    submitted_at     BIGINT NOT NULL,
    UNIQUE (application_id, staff_user_id)
);

-- A review's score per criterion. The criterion's name is copied, so changing the rubric
-- later leaves every submitted review as it was given.
CREATE TABLE review_scores (
    review_id        TEXT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    position         BIGINT NOT NULL,
    criterion_name   TEXT NOT NULL,
    score            BIGINT NOT NULL CHECK (score BETWEEN 1 AND 4),
    PRIMARY KEY (review_id, position)
);
