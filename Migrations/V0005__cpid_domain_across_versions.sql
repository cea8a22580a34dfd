-- Cpid associations across the original library's versions.
--
-- The seed's v4.1.0 stores an association as (event_id, cpid): it has no domain, and "events by
-- domain and cpid" means the event's own domain. Later versions store the association's domain
-- (the child process's), with (event_id, domain, cpid) as the key. Services of both kinds share
-- one database while a fleet is upgraded, so:
--
-- * a database the seed made gets the column, and its rows get their event's domain (what
--   v4.1.0 meant by them);
-- * the column defaults to '' so that a v4.1.0 service's insert, which names no domain, still
--   succeeds (no 1364), and a BEFORE INSERT trigger gives such a row its event's domain, so that
--   every reader (this library, and newer JavaScript services) finds it by that domain.
--
-- Why a trigger rather than reading '' as "the event's domain" at query time: every version's
-- reads stay plain indexed lookups on (domain, cpid), and no row is ever stored without a
-- domain. '' is never a real domain: every version rejects an empty one.
--
-- Every step is additive and safe to run again (a process that died half way resumes).

ALTER TABLE event_cpid
  ADD COLUMN IF NOT EXISTS domain VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '' AFTER event_id;

ALTER TABLE event_cpid
  ALTER COLUMN domain SET DEFAULT '';

CREATE TRIGGER IF NOT EXISTS event_cpid_domain_of_event BEFORE INSERT ON event_cpid FOR EACH ROW
  SET NEW.domain = IF(NEW.domain = '', COALESCE((SELECT e.domain FROM event e WHERE e.id = NEW.event_id), ''), NEW.domain);

UPDATE event_cpid c JOIN event e ON e.id = c.event_id SET c.domain = e.domain WHERE c.domain = '';

ALTER TABLE event_cpid
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (event_id, domain, cpid);

CREATE INDEX IF NOT EXISTS idx_domain_cpid ON event_cpid (domain, cpid);
