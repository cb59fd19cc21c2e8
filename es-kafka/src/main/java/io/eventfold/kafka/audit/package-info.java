/**
 * Checking a running system: {@link io.eventfold.kafka.audit.LogAudit} reads an aggregate type's
 * topics as the brokers hold them and reports every broken guarantee in an
 * {@link io.eventfold.kafka.audit.AuditReport}, as a library call or from a shell. It streams the
 * topics partition by partition, holds records to "has a result" only inside the window the
 * retentions leave ({@link io.eventfold.kafka.audit.RetentionWindow}), and reports its progress to
 * an {@link io.eventfold.kafka.audit.AuditListener}. The invariants themselves are
 * {@link io.eventfold.core.HistoryInvariants}. It also checks that each deadline the events
 * scheduled fired once ({@link io.eventfold.kafka.audit.DeadlineCounts}), and, for the process
 * managers it is given, that each command a replay of the manager derives was sent and handled
 * once ({@link io.eventfold.kafka.audit.ProcessManagerCounts}).
 */
package io.eventfold.kafka.audit;
