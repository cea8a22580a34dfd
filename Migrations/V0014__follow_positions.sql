-- Followers of a domain (FollowRepository) read by a follow position that is granted only to
-- committed events, by a short sequencing step any follower runs: `seq` is taken when a write
-- starts and becomes visible when it commits, so paging by it skips late commits. NULL until
-- granted; the counter row hands out positions, one step at a time (its row lock, or on a
-- Galera cluster its certification, keeps steps apart). Only adds: writers, and the original
-- library, never name the column.

ALTER TABLE event
  ADD COLUMN IF NOT EXISTS follow_seq BIGINT UNSIGNED NULL,
  ADD INDEX IF NOT EXISTS idx_follow_pending (follow_seq, seq),
  ADD INDEX IF NOT EXISTS idx_domain_follow_seq (domain, follow_seq);

CREATE TABLE IF NOT EXISTS event_follow_counter
(
  id    TINYINT UNSIGNED NOT NULL,
  next  BIGINT UNSIGNED  NOT NULL,

  PRIMARY KEY (id)
)
ENGINE=InnoDB
DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

INSERT IGNORE INTO event_follow_counter (id, next) VALUES (1, 1);
