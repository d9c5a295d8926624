-- The Hookguard dedup store on MySQL 8.0.1+ and MariaDB 10.6+ (hookguard-jdbc), InnoDB. Times
-- are epoch milliseconds. Safe to run again: the index is part of CREATE TABLE IF NOT EXISTS.
-- The key is VARBINARY, compared byte for byte as on PostgreSQL and H2 (a utf8mb4 collation, the
-- servers' default case-blind ones, would take 'evt_A' and 'evt_a' for one key: a false duplicate).
-- Keys are printable ASCII but for a custom prefix, so 512 bytes hold what VARCHAR(512) holds
-- elsewhere, inside InnoDB's index key limit in every row format (767 bytes in COMPACT).
CREATE TABLE IF NOT EXISTS hookguard_dedup (
  dedup_key       VARBINARY(512) NOT NULL PRIMARY KEY,
  fingerprint     VARCHAR(128) NOT NULL,
  state           CHAR(1) NOT NULL,
  token           VARCHAR(64) NOT NULL,
  expires_at      BIGINT NOT NULL,
  KEY hookguard_dedup_expires (expires_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;
