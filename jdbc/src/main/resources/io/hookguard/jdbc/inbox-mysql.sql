-- The Hookguard inbox on MySQL 8.0.1+ and MariaDB 10.6+ (hookguard-jdbc), InnoDB. Times are epoch
-- milliseconds. Safe to run again: the indexes are part of CREATE TABLE IF NOT EXISTS (MySQL has
-- no CREATE INDEX IF NOT EXISTS).
-- One row per delivery: a receipt is one INSERT (a duplicate-key error, 1062, on either key means
-- it is stored already) on the two unique keys (event_key: of the event id; body_key: of the
-- signed content, where the scheme's id is unsigned or there is no id; InnoDB's unique indexes
-- allow any number of NULLs). The keys are VARBINARY, compared byte for byte as on PostgreSQL and
-- H2: under a utf8mb4 collation 'evt_A' would be a duplicate of 'evt_a' (case- and accent-blind
-- collations are the servers' defaults) and be acknowledged without being stored. Keys are printable
-- ASCII but for a custom prefix (long or odd parts are hashed), so 512 bytes hold what VARCHAR(512)
-- holds elsewhere, inside InnoDB's index key limit in every row format (767 bytes in COMPACT; a
-- VARCHAR(512) in utf8mb4 would need 2,048, over it, and fit only DYNAMIC's 3,072). Text columns
-- are utf8mb4 with a binary collation, whatever the server's defaults. due_at is when the delivery
-- is next due (lease end while in flight), and 9223372036854775807 ("never") once done or dead,
-- so that the (endpoint, due_at) index holds the due rows of an endpoint as one range (no partial
-- indexes here).
CREATE TABLE IF NOT EXISTS hookguard_inbox (
  id              BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  endpoint        VARCHAR(128) NOT NULL,
  provider        VARCHAR(128) NOT NULL,
  event_id        MEDIUMTEXT,
  event_type      MEDIUMTEXT,
  content_type    MEDIUMTEXT,
  body            LONGBLOB NOT NULL,
  received_at     BIGINT NOT NULL,
  source          VARCHAR(64),
  event_key       VARBINARY(512),
  body_key        VARBINARY(512),
  fingerprint     CHAR(64) NOT NULL,
  state           VARCHAR(16) NOT NULL,
  attempts        INTEGER NOT NULL,
  lease_token     VARCHAR(64),
  due_at          BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  retrying_since  BIGINT NOT NULL,
  last_error      VARCHAR(1000),
  UNIQUE KEY hookguard_inbox_event_key (event_key),
  UNIQUE KEY hookguard_inbox_body_key (body_key),
  KEY hookguard_inbox_due (endpoint, due_at),
  KEY hookguard_inbox_state (state, updated_at)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;
