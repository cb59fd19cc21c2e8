/**
 * Read models: a {@link io.eventfold.kafka.projection.ProjectionRunner} feeds the committed events
 * (or snapshots) of an aggregate type to a {@link io.eventfold.kafka.projection.Projection}, applying
 * each batch in one transaction of the sink together with its checkpoints and versions through a
 * {@link io.eventfold.kafka.projection.CheckpointStore} (JDBC: {@code .jdbc}), so each version of
 * each aggregate changes the read model exactly once; a gap in an aggregate's events stops it
 * ({@link io.eventfold.kafka.projection.VersionGapException}).
 * {@link io.eventfold.kafka.projection.ProjectionStatus} and
 * {@link io.eventfold.kafka.projection.ProjectionListener} tell what a runner does;
 * {@link io.eventfold.kafka.projection.UnknownTypePolicy} says what it does with a record of a type
 * written by a newer build; {@link io.eventfold.kafka.projection.VersionGuard} is for hand-written
 * consumers. Start with {@code ProjectionRunner.forEvents(…)}.
 */
package io.eventfold.kafka.projection;
