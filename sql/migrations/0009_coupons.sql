-- Issued coupons and what draws on them. Coupons are keyed by code (random, so they spread
-- evenly over any sharding) rather than by member: anonymous codes have no member, and the till
-- looks them up by code; a member's wallet is read through the (member, definition, issue) key.
-- Limits are bucketed counters (GUIDE §8); per-member counts are the
-- member's own rows. Bulk issuance runs as resumable jobs.

CREATE TABLE coupons (
  code                VARCHAR(24) NOT NULL,
  definition_id       CHAR(24)    NOT NULL,
  member_id           CHAR(24)    NULL,
  issue_ref           VARCHAR(64) NOT NULL,
  status              ENUM('issued','reserved','redeemed','revoked') NOT NULL,
  issued_at           DATETIME(6) NOT NULL,
  valid_from          DATETIME(6) NULL,
  valid_until         DATETIME(6) NULL,
  reservation_id      VARCHAR(64) NULL,
  reserved_until      DATETIME(6) NULL,
  redeemed_txn        VARCHAR(96) NULL,
  redeemed_at         DATETIME(6) NULL,
  redeemed_store_id   VARCHAR(32) NULL,
  redeemed_member_id  CHAR(24)    NULL,
  discount_minor      BIGINT      NOT NULL DEFAULT 0,
  restored_at         DATETIME(6) NULL,
  revoked_at          DATETIME(6) NULL,
  revoke_reason       VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (code),
  UNIQUE KEY ux_coupons_member_issue (member_id, definition_id, issue_ref),
  KEY ix_coupons_issue_ref (issue_ref, code),
  KEY ix_coupons_reservation (reservation_id),
  KEY ix_coupons_txn (redeemed_txn),
  KEY ix_coupons_reserved_until (status, reserved_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A limit's scope ("total", "budget", "store:S1", "period:day:2026-11-23") in buckets; each
-- bucket row is created on first use with its share of the cap.
CREATE TABLE coupon_counters (
  definition_id  CHAR(24)    NOT NULL,
  scope          VARCHAR(64) NOT NULL,
  bucket         SMALLINT    NOT NULL,
  cap            BIGINT      NOT NULL,
  used           BIGINT      NOT NULL DEFAULT 0,
  PRIMARY KEY (definition_id, scope, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE coupon_member_counters (
  member_id      CHAR(24) NOT NULL,
  definition_id  CHAR(24) NOT NULL,
  used           BIGINT   NOT NULL DEFAULT 0,
  PRIMARY KEY (member_id, definition_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE coupon_issue_jobs (
  job_id         CHAR(24)    NOT NULL,
  definition_id  CHAR(24)    NOT NULL,
  requested      BIGINT      NOT NULL,
  issued         BIGINT      NOT NULL DEFAULT 0,
  state          ENUM('queued','running','done','failed') NOT NULL,
  prefix         VARCHAR(8)  NOT NULL DEFAULT '',
  created_at     DATETIME(6) NOT NULL,
  created_by     VARCHAR(24) NOT NULL,
  lease_until    DATETIME(6) NULL,
  lease_token    CHAR(24)    NOT NULL DEFAULT '',
  finished_at    DATETIME(6) NULL,
  error          VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (job_id),
  KEY ix_coupon_issue_jobs_state (state, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
