-- The delivery lifecycle: claims under a lease, retries after a back-off, conditional requeues.
--
--   lease_until    when the current claim's lease ends. A hub's claim made by this package sets it
--                  with consumed_hub; when it has passed, the delivery is pending again (its hub
--                  died or lost touch). consumed_hub set with lease_until NULL is a claim made by
--                  the original library: it has no lease and never expires by itself.
--   retry_at       a delivery that failed below its maximum attempts is pending again from then.
--   requeue_claim  the random token of the last requeue of a dead letter, so a requeue whose
--                  reply was lost learns that it took effect.
--
-- attempts (V0010) now counts the claims won under a lease; failed set and success and orphan
-- NULL is a dead letter; retention removes rows stamped success or orphan only.
--
-- Only adds nullable columns without a default and an index: services of the original library
-- never name them, so their inserts, claims and stamps keep working.

ALTER TABLE event_published
  ADD COLUMN IF NOT EXISTS lease_until   DATETIME(3) NULL,
  ADD COLUMN IF NOT EXISTS retry_at      DATETIME(3) NULL,
  ADD COLUMN IF NOT EXISTS requeue_claim CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;

CREATE INDEX IF NOT EXISTS idx_lease_until ON event_published (lease_until);
