-- Points ledger (GUIDE §4): one account row per member (locked FOR UPDATE by every balance
-- change), lots with their own activation and expiry, append-only entries, and the lots each
-- debit drew from. Program configuration is versioned; adjustments above a threshold wait for
-- a second person.

CREATE TABLE point_accounts (
  member_id         CHAR(24)    NOT NULL,
  available         BIGINT      NOT NULL DEFAULT 0,
  pending           BIGINT      NOT NULL DEFAULT 0,
  debt              BIGINT      NOT NULL DEFAULT 0,
  lifetime_earned   BIGINT      NOT NULL DEFAULT 0,
  last_activity_at  DATETIME(6) NULL,
  version           BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id),
  KEY ix_point_accounts_activity (last_activity_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE point_lots (
  member_id     CHAR(24)    NOT NULL,
  lot_id        CHAR(24)    NOT NULL,
  points        BIGINT      NOT NULL,
  remaining     BIGINT      NOT NULL,
  state         ENUM('pending','active','expired','cancelled') NOT NULL,
  earned_at     DATETIME(6) NOT NULL,
  activates_at  DATETIME(6) NOT NULL,
  expires_at    DATETIME(6) NULL,
  store_id      VARCHAR(32) NULL,
  source        VARCHAR(16) NOT NULL,
  ref           VARCHAR(64) NOT NULL,
  PRIMARY KEY (member_id, lot_id),
  KEY ix_point_lots_activation (state, activates_at),
  KEY ix_point_lots_expiry (state, expires_at),
  KEY ix_point_lots_ref (member_id, ref)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE point_entries (
  member_id        CHAR(24)     NOT NULL,
  entry_id         CHAR(24)     NOT NULL,
  at               DATETIME(6)  NOT NULL,
  kind             ENUM('earn','activate','redeem','expire','adjust','reverse','transfer_in','transfer_out') NOT NULL,
  available_delta  BIGINT       NOT NULL,
  pending_delta    BIGINT       NOT NULL,
  lot_id           CHAR(24)     NULL,
  ref_type         VARCHAR(16)  NOT NULL,
  ref_id           VARCHAR(64)  NOT NULL,
  reason           VARCHAR(255) NOT NULL,
  staff_id         VARCHAR(24)  NOT NULL,
  store_id         VARCHAR(32)  NULL,
  PRIMARY KEY (member_id, entry_id),
  KEY ix_point_entries_time (member_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE point_allocations (
  member_id  CHAR(24) NOT NULL,
  entry_id   CHAR(24) NOT NULL,
  lot_id     CHAR(24) NOT NULL,
  points     BIGINT   NOT NULL,
  PRIMARY KEY (member_id, entry_id, lot_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE program_versions (
  version     BIGINT      NOT NULL,
  config      MEDIUMTEXT  NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  created_by  VARCHAR(24) NOT NULL,
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE point_adjustments (
  member_id      CHAR(24)     NOT NULL,
  adjustment_id  CHAR(24)     NOT NULL,
  points         BIGINT       NOT NULL,
  reason         VARCHAR(255) NOT NULL,
  status         ENUM('pending_approval','applied','rejected') NOT NULL,
  requested_by   VARCHAR(24)  NOT NULL,
  requested_at   DATETIME(6)  NOT NULL,
  decided_by     VARCHAR(24)  NULL,
  decided_at     DATETIME(6)  NULL,
  store_id       VARCHAR(32)  NULL,
  PRIMARY KEY (member_id, adjustment_id),
  UNIQUE KEY uk_point_adjustments_id (adjustment_id),
  KEY ix_point_adjustments_status (status, requested_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
