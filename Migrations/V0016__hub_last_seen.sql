-- Hub liveness: when a hub last said it is running (a heartbeat), so a crashed hub stops
-- counting as live. The original's `quit` keeps its meaning (a hub that said goodbye).
--
-- Only adds a nullable column without a default: services of the original library never name
-- it, so their inserts and quit stamps keep working (their hubs have no heartbeat: NULL).

ALTER TABLE hub
  ADD COLUMN IF NOT EXISTS last_seen DATETIME(3) NULL;
