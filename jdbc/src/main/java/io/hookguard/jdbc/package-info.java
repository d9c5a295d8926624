/**
 * Hookguard's stores on a relational database through plain JDBC over a {@link javax.sql.DataSource}:
 * {@link io.hookguard.jdbc.JdbcInboxStore}, the durable inbox's store, and
 * {@link io.hookguard.jdbc.JdbcDedupStore}, a shared dedup store for synchronous endpoints.
 * PostgreSQL (the shared production store), MySQL 8.0.1+ and MariaDB 10.6+ (InnoDB; tested on
 * MariaDB 10.11) and H2 2.x (embedded, e.g. a file database) are supported; the schema scripts
 * ship in this jar as {@code io/hookguard/jdbc/inbox-<db>.sql} and
 * {@code io/hookguard/jdbc/dedup-<db>.sql} ({@code <db>} = {@code postgresql}, {@code mysql} (MySQL
 * and MariaDB) or {@code h2}) for Flyway or Liquibase, or the stores create their tables at
 * startup when asked to.
 */
@NullMarked
package io.hookguard.jdbc;

import org.jspecify.annotations.NullMarked;
