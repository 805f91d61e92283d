-- Foundation: stores, members (PII encrypted, blind indexes), consent evidence, staff, sessions, audit log.
-- Conventions (GUIDE §8): app-generated non-sequential ids, member_id first in member-owned keys,
-- no foreign keys or triggers, instants in UTC as DATETIME(6).

CREATE TABLE stores (
  store_id    VARCHAR(32)  NOT NULL,
  name        VARCHAR(120) NOT NULL,
  time_zone   VARCHAR(64)  NOT NULL,
  currency    CHAR(3)      NOT NULL DEFAULT 'CNY',
  created_at  DATETIME(6)  NOT NULL,
  PRIMARY KEY (store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Phone, e-mail, name and birthday are AES-256-GCM ciphertext (hex); *_index columns are
-- HMAC-SHA256 blind indexes (hex) so exact lookups work without plain values in the database.
CREATE TABLE members (
  member_id        CHAR(24)     NOT NULL,
  card_no          CHAR(16)     NOT NULL,
  phone_cipher     TEXT         NULL,
  phone_index      CHAR(64)     NULL,
  email_cipher     TEXT         NULL,
  email_index      CHAR(64)     NULL,
  name_cipher      TEXT         NULL,
  birthday_cipher  TEXT         NULL,
  home_store_id    VARCHAR(32)  NULL,
  consent_sms      BOOLEAN      NOT NULL DEFAULT FALSE,
  consent_email    BOOLEAN      NOT NULL DEFAULT FALSE,
  consent_wechat   BOOLEAN      NOT NULL DEFAULT FALSE,
  tier             VARCHAR(32)  NOT NULL DEFAULT 'base',
  status           ENUM('active','erased') NOT NULL DEFAULT 'active',
  created_at       DATETIME(6)  NOT NULL,
  updated_at       DATETIME(6)  NOT NULL,
  version          BIGINT       NOT NULL,
  PRIMARY KEY (member_id),
  UNIQUE KEY uk_members_card (card_no),
  UNIQUE KEY uk_members_phone (phone_index),
  UNIQUE KEY uk_members_email (email_index)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Evidence of every consent given or withdrawn (PIPL art. 24): append-only.
CREATE TABLE member_consent_events (
  member_id  CHAR(24)     NOT NULL,
  at         DATETIME(6)  NOT NULL,
  channel    ENUM('sms','email','wechat') NOT NULL,
  granted    BOOLEAN      NOT NULL,
  source     VARCHAR(64)  NOT NULL,
  PRIMARY KEY (member_id, at, channel)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE staff (
  staff_id      CHAR(24)     NOT NULL,
  username      VARCHAR(32)  NOT NULL,
  display_name  VARCHAR(120) NOT NULL,
  role          ENUM('admin','marketer','store_manager','cashier','auditor') NOT NULL,
  password_phc  VARCHAR(255) NOT NULL,
  active        BOOLEAN      NOT NULL DEFAULT TRUE,
  created_at    DATETIME(6)  NOT NULL,
  PRIMARY KEY (staff_id),
  UNIQUE KEY uk_staff_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE staff_stores (
  staff_id  CHAR(24)    NOT NULL,
  store_id  VARCHAR(32) NOT NULL,
  PRIMARY KEY (staff_id, store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Only the SHA-256 digest of a session token is stored; a database dump cannot log anyone in.
CREATE TABLE staff_sessions (
  token_digest  CHAR(64)    NOT NULL,
  staff_id      CHAR(24)    NOT NULL,
  created_at    DATETIME(6) NOT NULL,
  expires_at    DATETIME(6) NOT NULL,
  revoked_at    DATETIME(6) NULL,
  PRIMARY KEY (token_digest),
  KEY ix_staff_sessions_staff (staff_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_log (
  audit_id        CHAR(24)     NOT NULL,
  at              DATETIME(6)  NOT NULL,
  actor_staff_id  VARCHAR(24)  NOT NULL,
  actor_role      VARCHAR(16)  NOT NULL,
  store_id        VARCHAR(32)  NULL,
  action          VARCHAR(64)  NOT NULL,
  target_type     VARCHAR(32)  NOT NULL,
  target_id       VARCHAR(64)  NOT NULL,
  detail          TEXT         NOT NULL,
  request_id      VARCHAR(64)  NOT NULL,
  PRIMARY KEY (audit_id),
  KEY ix_audit_at (at, audit_id),
  KEY ix_audit_store (store_id, at),
  KEY ix_audit_target (target_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
