-- Idempotency-Key support: the first response to each (scope, key) is kept and replayed.
-- scope is the staff id today (member-scoped keys come with member-facing writes, GUIDE §8).
CREATE TABLE idempotency_keys (
  scope             VARCHAR(64)  NOT NULL,
  idem_key          VARCHAR(128) NOT NULL,
  request_hash      CHAR(64)     NOT NULL,
  status            SMALLINT     NULL,
  response_headers  TEXT         NULL,
  response_body     MEDIUMTEXT   NULL,
  created_at        DATETIME(6)  NOT NULL,
  PRIMARY KEY (scope, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
