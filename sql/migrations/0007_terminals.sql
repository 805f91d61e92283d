-- POS terminals: each belongs to one store and signs its requests with its own key (GUIDE §6).
-- The key is stored encrypted with the PII key; a rotation keeps the previous key until
-- previous_valid_until so tills can switch over.
CREATE TABLE terminals (
  terminal_id           VARCHAR(32) NOT NULL,
  store_id              VARCHAR(32) NOT NULL,
  key_cipher            TEXT        NOT NULL,
  previous_key_cipher   TEXT        NULL,
  previous_valid_until  DATETIME(6) NULL,
  active                BOOLEAN     NOT NULL DEFAULT TRUE,
  created_at            DATETIME(6) NOT NULL,
  PRIMARY KEY (terminal_id),
  KEY ix_terminals_store (store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
