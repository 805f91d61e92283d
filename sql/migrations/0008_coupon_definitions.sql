-- Coupon definitions: what an offer gives, to which lines and stores, when, and how it stacks.
-- The definition is one JSON document (loyalty/json/coupon_json.*) so new kinds need no DDL.
CREATE TABLE coupon_definitions (
  definition_id  CHAR(24)    NOT NULL,
  definition     MEDIUMTEXT  NOT NULL,
  created_at     DATETIME(6) NOT NULL,
  created_by     VARCHAR(24) NOT NULL,
  PRIMARY KEY (definition_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
