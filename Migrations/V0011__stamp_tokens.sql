-- Terminal stamps that survive a lost reply exactly. Each stamp (a delivery's success, failure or
-- orphan; a scheduled run's success or failure) writes a random token of its own in the same
-- conditional UPDATE that sets the stamp. When the reply is lost, the caller reads the token
-- back: its own token means its stamp was the one stored. The stamp's time alone (DATETIME, one
-- second) cannot tell two callers of the same second apart.
--
-- Only adds nullable columns without a default: services of the original library never name
-- them, so their inserts and stamps keep working (their stamps leave the token NULL).

ALTER TABLE event_published
  ADD COLUMN IF NOT EXISTS success_claim CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN IF NOT EXISTS failed_claim  CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN IF NOT EXISTS orphan_claim  CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;

ALTER TABLE event_scheduled
  ADD COLUMN IF NOT EXISTS success_claim CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN IF NOT EXISTS failed_claim  CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;
