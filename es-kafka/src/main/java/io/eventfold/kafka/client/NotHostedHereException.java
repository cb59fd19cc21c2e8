package io.eventfold.kafka.client;

import io.eventfold.core.ErrorText;
import org.apache.kafka.streams.KeyQueryMetadata;

/** This instance has no copy of an aggregate's store that may answer: the read goes to the instances that have one. */
final class NotHostedHereException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    NotHostedHereException(String aggregateId, KeyQueryMetadata metadata) {
        super("aggregate " + ErrorText.bounded(aggregateId) + " (partition " + metadata.partition() + ") is "
                + (metadata.activeHost().port() < 0 ? "owned by no known instance now"
                : "hosted by " + metadata.activeHost().host() + ":" + metadata.activeHost().port()) + ", not by this instance");
    }
}
