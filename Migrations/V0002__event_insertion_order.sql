-- Events with equal timestamps must read back in the order they were persisted: an
-- auto-increment insertion counter, and indexes that serve the event-log reads in that order.
-- Only adds; the original library keeps working (it never names the column).

ALTER TABLE event
  ADD COLUMN IF NOT EXISTS seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  ADD UNIQUE INDEX IF NOT EXISTS idx_seq (seq);

CREATE INDEX IF NOT EXISTS idx_domain_pid_seq ON event (domain, pid, timestamp, seq);

CREATE INDEX IF NOT EXISTS idx_executed_scheduled ON event_scheduled (executed, scheduled);
