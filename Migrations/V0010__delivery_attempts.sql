-- Redelivery with limits: how often a hub tried to deliver a published event, so the events past
-- a maximum can be set aside (dead letters) instead of being redelivered forever. Only adds, with
-- a default: the original library's inserts and updates never name the column.

ALTER TABLE event_published
  ADD COLUMN IF NOT EXISTS attempts INT UNSIGNED NOT NULL DEFAULT 0;
