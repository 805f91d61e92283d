-- Checkout quotes: what the till was told a basket costs, with the coupons held for it (in
-- coupons.reservation_id = quote_id) and the points it means to redeem, until expires_at.
CREATE TABLE pos_quotes (
  quote_id            CHAR(24)    NOT NULL,
  store_id            VARCHAR(32) NOT NULL,
  terminal_id         VARCHAR(32) NOT NULL,
  member_id           CHAR(24)    NULL,
  basket              MEDIUMTEXT  NOT NULL,
  coupon_codes        TEXT        NOT NULL,
  redeem_points       BIGINT      NOT NULL DEFAULT 0,
  total_minor         BIGINT      NOT NULL,
  discount_minor      BIGINT      NOT NULL,
  points_value_minor  BIGINT      NOT NULL,
  due_minor           BIGINT      NOT NULL,
  points_to_earn      BIGINT      NOT NULL,
  created_at          DATETIME(6) NOT NULL,
  expires_at          DATETIME(6) NOT NULL,
  PRIMARY KEY (quote_id),
  KEY ix_pos_quotes_member (member_id, expires_at),
  KEY ix_pos_quotes_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
