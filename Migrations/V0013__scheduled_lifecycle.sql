-- The life of a scheduled run (issue #22): attempts counted when a claim is won, a lease that
-- expires (a run whose hub died is due again), a retry after a back-off while attempts are below
-- the maximum, a dead letter at the maximum, and an operator's discard.
--
--   attempts      claims won so far (0 for rows of the original library until a claim)
--   max_attempts  the maximum of the claim that set it; NULL: no maximum (the original's claim)
--   lease_expires when the current claim's lease ends; NULL: no lease (the original's claim,
--                 held until a stamp)
--   retry_at      a failed run is due again from then (and from `scheduled`)
--   discarded     a dead letter set aside by an operator: the run is finished
--
-- The original's columns keep their meaning: `executed` is the current claim, `success` a run
-- that succeeded, `failed` a run that failed for good (a dead letter until discarded or
-- requeued). Only adds columns with defaults or NULL: the original's inserts and stamps never
-- name them and keep working.

ALTER TABLE event_scheduled
  ADD COLUMN IF NOT EXISTS attempts      INT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS max_attempts  INT UNSIGNED NULL,
  ADD COLUMN IF NOT EXISTS lease_expires DATETIME(3)  NULL,
  ADD COLUMN IF NOT EXISTS retry_at      DATETIME(3)  NULL,
  ADD COLUMN IF NOT EXISTS discarded     DATETIME     NULL;
