/**
 * The implementation of the command topology: the processor and its per-record steps, the
 * envelope reader and writer, the command-id store, the read-committed consumer settings. Not
 * API: no other module may use it (a build check enforces this), and it may change in any release.
 * Users start at {@link io.eventfold.kafka.EventSourcedTopology}.
 */
package io.eventfold.kafka.internal;
