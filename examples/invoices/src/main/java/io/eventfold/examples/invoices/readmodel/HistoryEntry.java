package io.eventfold.examples.invoices.readmodel;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event in an invoice's history.
 *
 * @param version the invoice's version after the event
 * @param type the event type, e.g. {@code LineItemAdded}
 * @param timestamp when the command was recorded
 * @param commandId the command that produced the event
 * @param payload the event's JSON
 */
public record HistoryEntry(long version, String type, Instant timestamp, String commandId, JsonNode payload) {
}
