-- Claims that survive a lost reply. Each claim (a hub consuming a published event, a spoke
-- consuming it, a hub executing a scheduled event) writes a random token of its own in the same
-- conditional UPDATE that claims the row. When the connection dies after the server committed
-- but before the reply arrived, the caller reconnects and reads the token back: its own token
-- means it won, another (or none, with the claim column set by an older service) means it lost.
--
-- Only adds nullable columns without a default: services of the original library never name
-- them, so their inserts and claims keep working (their claims leave the token NULL).

ALTER TABLE event_published
  ADD COLUMN IF NOT EXISTS consumed_hub_claim   CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
  ADD COLUMN IF NOT EXISTS consumed_spoke_claim CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;

ALTER TABLE event_scheduled
  ADD COLUMN IF NOT EXISTS executed_claim CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;
