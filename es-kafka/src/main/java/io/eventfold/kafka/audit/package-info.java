/**
 * Checking a running system: {@link io.eventfold.kafka.audit.LogAudit} reads an aggregate type's
 * topics as the brokers hold them and reports every broken guarantee in an
 * {@link io.eventfold.kafka.audit.AuditReport}, as a library call or from a shell. The invariants
 * themselves are {@link io.eventfold.core.HistoryInvariants}.
 */
package io.eventfold.kafka.audit;
