-- Catch-up reads (`readEvents(domain:after:limit:)`) ask for a domain's events after an
-- insertion position, in that order: an index on (domain, seq) answers them from the index
-- instead of sorting the domain's whole log. Only adds; the original library keeps working.

CREATE INDEX IF NOT EXISTS idx_domain_seq ON event (domain, seq);
