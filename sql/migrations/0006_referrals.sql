-- Referrals: who brought whom. Both are rewarded on the new member's first purchase (awards in
-- the program), the referrer at most awards.max_referrals_per_member times.
CREATE TABLE member_referrals (
  member_id    CHAR(24)    NOT NULL,
  referrer_id  CHAR(24)    NOT NULL,
  created_at   DATETIME(6) NOT NULL,
  rewarded_at  DATETIME(6) NULL,
  PRIMARY KEY (member_id),
  KEY ix_member_referrals_referrer (referrer_id, rewarded_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
