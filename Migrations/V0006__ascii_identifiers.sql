-- Ids and names in ascii_bin, whatever the server's default was when the tables were made.
--
-- The seed's v4.1.0 creates its tables without a character set, so they take the server's
-- default: often latin1 with a case-insensitive collation, where ids that differ only in case
-- collide. Here every column that holds an id or a name becomes ascii_bin (as SPEC §3 says:
-- 1-64 ASCII characters, compared case-sensitively). (V0007 does the Unicode text.)
--
-- Before this file runs, the migrator checks every column it converts and refuses, changing
-- nothing, when a value holds a non-ASCII byte or two values differ only in case (they would
-- be mangled, or stop matching each other): see "Adopting an original database" in the README.
-- When every such column is ascii_bin already (a database EventflowDB or a later original
-- made), the file is recorded without running.
--
-- MariaDB cannot change the character set of a column that a foreign key names, so the
-- original's foreign keys (the names InnoDB gave them) are taken off, the columns converted,
-- and the same keys put back. Every statement is safe to run again, so a process that died
-- half way resumes; the keys are checked against the rows when they are put back.

ALTER TABLE event_cpid DROP FOREIGN KEY IF EXISTS event_cpid_ibfk_1;
ALTER TABLE event_eid DROP FOREIGN KEY IF EXISTS event_eid_ibfk_1;
ALTER TABLE event_published DROP FOREIGN KEY IF EXISTS event_published_ibfk_1, DROP FOREIGN KEY IF EXISTS event_published_ibfk_2;
ALTER TABLE event_scheduled DROP FOREIGN KEY IF EXISTS event_scheduled_ibfk_1;
ALTER TABLE event DROP FOREIGN KEY IF EXISTS event_ibfk_1;

ALTER TABLE hub
  MODIFY id          VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY external_ip VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY internal_ip VARCHAR(45) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event
  MODIFY id     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY domain VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY rid    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  MODIFY pid    VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY name   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event_cpid
  MODIFY event_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY domain   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  MODIFY cpid     VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event_eid
  MODIFY event_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY eid      VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event_published
  MODIFY event_id  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY publisher VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  MODIFY consumer  VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  MODIFY hub       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event_scheduled
  MODIFY event_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE certificate
  MODIFY id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE log
  MODIFY agent VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  DEFAULT CHARACTER SET ascii COLLATE ascii_bin;

ALTER TABLE event
  ADD CONSTRAINT event_ibfk_1 FOREIGN KEY IF NOT EXISTS (rid) REFERENCES event (id) ON DELETE SET NULL;
ALTER TABLE event_cpid
  ADD CONSTRAINT event_cpid_ibfk_1 FOREIGN KEY IF NOT EXISTS (event_id) REFERENCES event (id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE event_eid
  ADD CONSTRAINT event_eid_ibfk_1 FOREIGN KEY IF NOT EXISTS (event_id) REFERENCES event (id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE event_published
  ADD CONSTRAINT event_published_ibfk_1 FOREIGN KEY IF NOT EXISTS (hub) REFERENCES hub (id),
  ADD CONSTRAINT event_published_ibfk_2 FOREIGN KEY IF NOT EXISTS (event_id) REFERENCES event (id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE event_scheduled
  ADD CONSTRAINT event_scheduled_ibfk_1 FOREIGN KEY IF NOT EXISTS (event_id) REFERENCES event (id) ON UPDATE CASCADE ON DELETE CASCADE;
