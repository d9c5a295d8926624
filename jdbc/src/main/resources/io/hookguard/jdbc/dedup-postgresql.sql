-- The Hookguard dedup store on PostgreSQL (hookguard-jdbc). Times are epoch milliseconds.
-- Safe to run again: every statement is IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS hookguard_dedup (
  dedup_key       VARCHAR(512) PRIMARY KEY,
  fingerprint     VARCHAR(128) NOT NULL,
  state           CHAR(1) NOT NULL,
  token           VARCHAR(64) NOT NULL,
  expires_at      BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS hookguard_dedup_expires ON hookguard_dedup (expires_at);
