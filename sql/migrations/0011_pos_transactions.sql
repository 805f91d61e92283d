-- Committed till transactions (sales, returns, post-voids) with their basket lines. The till's
-- own id (store, terminal, pos_txn_id) is unique: the row is claimed first in the commit's
-- transaction, so a replay or a parallel retry finds it and gets the stored result. Keyed by our
-- random txn_id (not by member: anonymous sales have none), like coupons.
CREATE TABLE pos_transactions (
  txn_id              CHAR(24)     NOT NULL,
  store_id            VARCHAR(32)  NOT NULL,
  terminal_id         VARCHAR(32)  NOT NULL,
  pos_txn_id          VARCHAR(64)  NOT NULL,
  kind                ENUM('sale','return','void') NOT NULL,
  request_hash        CHAR(64)     NOT NULL,
  member_id           CHAR(24)     NULL,
  original_txn_id     CHAR(24)     NULL,
  quote_id            CHAR(24)     NULL,
  cashier_id          VARCHAR(64)  NOT NULL DEFAULT '',
  no_original         BOOLEAN      NOT NULL DEFAULT FALSE,
  occurred_at         DATETIME(6)  NOT NULL,
  committed_at        DATETIME(6)  NOT NULL,
  voided_at           DATETIME(6)  NULL,
  currency            CHAR(3)      NOT NULL,
  total_minor         BIGINT       NOT NULL,
  discount_minor      BIGINT       NOT NULL,
  points_redeemed     BIGINT       NOT NULL,
  points_value_minor  BIGINT       NOT NULL,
  due_minor           BIGINT       NOT NULL,
  points_earned       BIGINT       NOT NULL,
  points_clawed_back  BIGINT       NOT NULL DEFAULT 0,
  points_restored     BIGINT       NOT NULL DEFAULT 0,
  balance_after       BIGINT       NOT NULL DEFAULT 0,
  offline             BOOLEAN      NOT NULL DEFAULT FALSE,
  offline_debt        BIGINT       NOT NULL DEFAULT 0,
  offline_uncovered   BIGINT       NOT NULL DEFAULT 0,
  rejected_codes      TEXT         NOT NULL,
  coupon_codes        TEXT         NOT NULL,
  receipt_zh          TEXT         NOT NULL,
  receipt_en          TEXT         NOT NULL,
  PRIMARY KEY (txn_id),
  UNIQUE KEY ux_pos_transactions_till (store_id, terminal_id, pos_txn_id),
  KEY ix_pos_transactions_original (original_txn_id),
  KEY ix_pos_transactions_member (member_id, occurred_at),
  KEY ix_pos_transactions_store_time (store_id, occurred_at),
  KEY ix_pos_transactions_offline (offline, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Basket lines: for a sale, as sold (with how many were returned since); for a return or void,
-- what went back (line_no is the sale's line). paid_minor is net less coupon discounts: points
-- are earned on it and refunds are measured by it.
CREATE TABLE pos_transaction_lines (
  txn_id            CHAR(24)     NOT NULL,
  line_no           INT          NOT NULL,
  sku               VARCHAR(64)  NOT NULL,
  category          VARCHAR(64)  NOT NULL,
  qty               BIGINT       NOT NULL,
  unit_price_minor  BIGINT       NOT NULL,
  net_minor         BIGINT       NOT NULL,
  discount_minor    BIGINT       NOT NULL,
  paid_minor        BIGINT       NOT NULL,
  returned_qty      BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (txn_id, line_no),
  KEY ix_pos_transaction_lines_sku (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The offline journal: every entry a till uploaded, by its per-terminal number, with what
-- applying it did. A re-upload finds its entries here and applies nothing twice.
CREATE TABLE pos_journal_entries (
  store_id       VARCHAR(32)  NOT NULL,
  terminal_id    VARCHAR(32)  NOT NULL,
  seq            BIGINT       NOT NULL,
  type           ENUM('sale','return','void') NOT NULL,
  recorded_at    DATETIME(6)  NOT NULL,
  status         ENUM('applied','failed') NOT NULL,
  txn_id         CHAR(24)     NULL,
  error_code     VARCHAR(64)  NOT NULL DEFAULT '',
  error_message  VARCHAR(500) NOT NULL DEFAULT '',
  uploaded_at    DATETIME(6)  NOT NULL,
  PRIMARY KEY (store_id, terminal_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
