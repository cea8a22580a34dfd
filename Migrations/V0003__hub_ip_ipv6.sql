-- VARCHAR(16) cannot hold an IPv6 address; 45 characters hold any IPv6 text form, including
-- IPv4-mapped ones. Widening keeps every existing value.

ALTER TABLE hub
  MODIFY external_ip VARCHAR(45) NOT NULL,
  MODIFY internal_ip VARCHAR(45) NOT NULL;
