/**
 * Read models: {@link io.eventfold.kafka.projection.ProjectionRunner} feeds the committed events
 * (or snapshots) of an aggregate type to a {@link io.eventfold.kafka.projection.Projection} on its
 * own thread, committing offsets only after the projection returns;
 * {@link io.eventfold.kafka.projection.VersionGuard} makes a SQL read model apply each version of
 * each aggregate at most once; {@link io.eventfold.kafka.projection.UnknownTypePolicy} says what a
 * runner does with a record of a type written by a newer build. Start with
 * {@code ProjectionRunner.forEvents(…)}.
 */
package io.eventfold.kafka.projection;
