/**
 * The JDBC {@link io.eventfold.kafka.projection.CheckpointStore}:
 * {@link io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore} keeps a projection's checkpoints,
 * applied versions and generations in the read model's own SQL database (H2, PostgreSQL), using
 * only {@code java.sql} and portable SQL.
 */
package io.eventfold.kafka.projection.jdbc;
