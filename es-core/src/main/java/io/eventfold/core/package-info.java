/**
 * The pure event-sourcing model of Eventfold: implement {@link io.eventfold.core.Aggregate} and
 * let {@link io.eventfold.core.CommandEngine} apply every rule. This package has no dependencies
 * beyond {@code java.base}.
 */
package io.eventfold.core;
