package io.eventfold.examples.invoices.readmodel;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event in an invoice's history.
 *
 * @param version the invoice's version after the event
 * @param type the event type, e.g. {@code LineItemAdded}
 * @param timestamp when the command was recorded
 * @param commandId the command that produced the event: its causation id
 * @param correlationId the chain of commands the event belongs to; the command id when its command started one
 * @param user who sent the command, as the client claimed it (the {@code user} metadata); {@code null} when none
 * @param payload the event's JSON
 */
public record HistoryEntry(long version, String type, Instant timestamp, String commandId, String correlationId, String user,
                           JsonNode payload) {
}
