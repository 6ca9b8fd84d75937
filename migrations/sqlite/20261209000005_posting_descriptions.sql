-- A Lever posting's description (plain text), cached with the rest of the posting so a role
-- imported from it starts with that text as its introduction.
ALTER TABLE lever_postings ADD COLUMN description TEXT;

-- At most one job per Lever posting, so an import cannot run twice for the same posting.
CREATE UNIQUE INDEX roles_lever_posting ON roles (organization_id, lever_posting_id);
