-- Text that EventflowDB accepts as Unicode in utf8mb4_bin: log messages (any Unicode), and
-- certificates' PEM text. The seed's v4.1.0 tables hold them in the server's default character
-- set (latin1 cannot hold most of Unicode), v4.2-v4.7 in ascii. Converting to utf8mb4 keeps
-- every character, so nothing is checked first. When both columns are utf8mb4_bin already, the
-- file is recorded without running. Safe to run again.

ALTER TABLE log
  MODIFY message TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;

ALTER TABLE certificate
  MODIFY cert TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
