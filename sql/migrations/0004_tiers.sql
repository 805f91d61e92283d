-- Tiers: each member's level with its review date, the qualifying activity it is measured on,
-- and the history of every change. members.tier mirrors member_tiers.tier for quick reads and
-- is written in the same transaction.
CREATE TABLE member_tiers (
  member_id  CHAR(24)    NOT NULL,
  tier       VARCHAR(32) NOT NULL,
  since      DATETIME(6) NOT NULL,
  review_at  DATETIME(6) NULL,
  PRIMARY KEY (member_id),
  KEY ix_member_tiers_review (review_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tier_activity (
  member_id    CHAR(24)    NOT NULL,
  activity_id  CHAR(24)    NOT NULL,
  at           DATETIME(6) NOT NULL,
  spend_minor  BIGINT      NOT NULL,
  points       BIGINT      NOT NULL,
  visits       INT         NOT NULL,
  ref          VARCHAR(64) NOT NULL,
  PRIMARY KEY (member_id, activity_id),
  KEY ix_tier_activity_time (member_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tier_history (
  member_id   CHAR(24)     NOT NULL,
  changed_at  DATETIME(6)  NOT NULL,
  from_tier   VARCHAR(32)  NOT NULL,
  to_tier     VARCHAR(32)  NOT NULL,
  reason      VARCHAR(255) NOT NULL,
  staff_id    VARCHAR(24)  NOT NULL,
  PRIMARY KEY (member_id, changed_at, to_tier)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
