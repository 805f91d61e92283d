-- Marketing segments (campaign module), stored as their JSON document, and coupon issue jobs
-- that issue one coupon to each member of a segment: they page through the segment by member id
-- and remember where they are, so a restarted worker carries on.

CREATE TABLE segments (
  segment_id  CHAR(24)     NOT NULL,
  segment     MEDIUMTEXT   NOT NULL,  -- rules may list hundreds of SKUs
  created_at  DATETIME(6)  NOT NULL,
  created_by  VARCHAR(24)  NOT NULL,
  PRIMARY KEY (segment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE coupon_issue_jobs
  ADD COLUMN segment_id        CHAR(24) NULL AFTER definition_id,
  ADD COLUMN after_member_id   CHAR(24) NOT NULL DEFAULT '' AFTER segment_id;

