-- Named consumers' positions in a domain's feed (FollowRepository): a hub or projection stores
-- the follow position of the last event it handled and resumes after it when restarted.

CREATE TABLE IF NOT EXISTS event_consumer
(
  name      VARCHAR(64)     NOT NULL,
  domain    VARCHAR(64)     NOT NULL,
  position  BIGINT UNSIGNED NOT NULL,
  updated   DATETIME(3)     NOT NULL,

  PRIMARY KEY (name, domain)
)
ENGINE=InnoDB
DEFAULT CHARACTER SET ascii COLLATE ascii_bin;
