-- Every table needs a primary key on a Galera cluster: row-based replication of an UPDATE or
-- DELETE on a table without one finds its rows by a full scan on every node, and certification
-- cannot tell rows apart. The log had none. A partitioned table's keys must include the
-- partitioning column, so the key is (id, timestamp). Only adds: the original library's inserts
-- name their columns and the counter fills itself.

ALTER TABLE log
  ADD COLUMN IF NOT EXISTS id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT FIRST,
  ADD PRIMARY KEY IF NOT EXISTS (id, timestamp);
