package io.eventfold.kafka.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.EnvelopeFormatException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpcastersTest {

    private static final ObjectMapper JSON = JsonCodec.defaultObjectMapper();

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldApplyTheInvoiceChainInOrder() {
        Upcasters events = Upcasters.builder()
                .upcast("LineItemAdded", 1, json -> {
                    json.withObject("/lineItem").put("taxRate", BigDecimal.ZERO);
                    return json;
                })
                .upcast("LineItemAdded", 2, json -> {
                    json.put("note", "v3");
                    return json;
                })
                .rename("PaymentReceived", 1, "InvoicePaid")
                .build();

        assertThat(events.currentVersion("LineItemAdded")).isEqualTo(3);
        assertThat(events.currentVersion("InvoicePaid")).isEqualTo(1);
        assertThat(events.apply(new StoredPayload("LineItemAdded", 1, json("{\"lineItem\":{\"price\":10}}"))))
                .extracting(StoredPayload::toString)
                .containsExactly("LineItemAdded v3 {\"lineItem\":{\"price\":10,\"taxRate\":0},\"note\":\"v3\"}");
        assertThat(events.apply(new StoredPayload("LineItemAdded", 2, json("{\"lineItem\":{}}"))))
                .containsExactly(new StoredPayload("LineItemAdded", 3, json("{\"lineItem\":{},\"note\":\"v3\"}")));
        assertThat(events.apply(new StoredPayload("PaymentReceived", 1, json("{\"amount\":5}"))))
                .containsExactly(new StoredPayload("InvoicePaid", 1, json("{\"amount\":5}")));
        assertThat(events.upcastsFrom("PaymentReceived")).isTrue();
        assertThat(events.upcastsFrom("InvoicePaid")).isFalse();
    }

    @Test
    void shouldLeaveAPayloadNoUpcasterMatchesAsStored() {
        Upcasters events = Upcasters.builder().rename("PaymentReceived", 1, "InvoicePaid").build();
        StoredPayload current = new StoredPayload("InvoiceSent", 1, json("{}"));
        StoredPayload newer = new StoredPayload("PaymentReceived", 2, json("{}"));

        assertThat(events.apply(current)).containsExactly(current);
        assertThat(events.apply(newer)).containsExactly(newer);
        assertThat(Upcasters.none().apply(current)).containsExactly(current);
        assertThat(Upcasters.none().currentVersion("InvoiceSent")).isEqualTo(1);
        assertThat(Upcasters.builder().build().isEmpty()).isTrue();
    }

    @Test
    void shouldSplitAndDropContinuingTheChainFromEveryPayload() {
        Upcasters events = Upcasters.builder()
                .upcastWith("Moved", 1, stored -> List.of(
                        new StoredPayload("Withdrawn", 1, json("{\"amount\":" + stored.json().get("amount") + "}")),
                        new StoredPayload("Deposited", 1, json("{\"amount\":" + stored.json().get("amount") + "}"))))
                .rename("Withdrawn", 1, "Debited")
                .upcastWith("Audited", 1, stored -> List.of())
                .build();

        assertThat(events.apply(new StoredPayload("Moved", 1, json("{\"amount\":7}"))))
                .containsExactly(new StoredPayload("Debited", 1, json("{\"amount\":7}")),
                        new StoredPayload("Deposited", 1, json("{\"amount\":7}")));
        assertThat(events.apply(new StoredPayload("Audited", 1, json("{}")))).isEmpty();
    }

    @Test
    void shouldRefuseTwoUpcastersForOneTypeAndVersion() {
        assertThatThrownBy(() -> Upcasters.builder()
                .upcast("LineItemAdded", 1, json -> json)
                .rename("LineItemAdded", 1, "ItemAdded")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two upcasters start from 'LineItemAdded' v1: upcast of 'LineItemAdded' v1 -> 'LineItemAdded' v2"
                        + " and rename of 'LineItemAdded' v1 -> 'ItemAdded' v1");
    }

    @Test
    void shouldRefuseAHoleInATypesVersions() {
        assertThatThrownBy(() -> Upcasters.builder()
                .upcast("LineItemAdded", 1, json -> json)
                .upcast("LineItemAdded", 3, json -> json)
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'LineItemAdded' has upcasters from versions [1, 3] but none from 2");
    }

    @Test
    void shouldRefuseRenamesThatLeadInACycle() {
        assertThatThrownBy(() -> Upcasters.builder()
                .rename("Paid", 1, "Settled")
                .rename("Settled", 1, "Paid")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upcasters lead in a cycle: 'Paid' v1 -> 'Settled' v1 -> 'Paid' v1");
        assertThatThrownBy(() -> Upcasters.builder().rename("Paid", 1, "Paid").build())
                .hasMessageContaining("cycle: 'Paid' v1 -> 'Paid' v1");
    }

    @Test
    void shouldStopAGeneralUpcasterThatLeadsBackAtRunTime() {
        Upcasters loop = Upcasters.builder().upcastWith("Paid", 1, stored -> List.of(stored)).build();

        assertThatThrownBy(() -> loop.apply(new StoredPayload("Paid", 1, json("{}"))))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("upcasters do not end: 'Paid' v1 is reached again");
    }

    @Test
    void shouldNameTheTypeAndVersionOfAFailingUpcaster() {
        Upcasters broken = Upcasters.builder().upcast("Paid", 1, json -> {
            throw new IllegalStateException("no amount");
        }).build();

        assertThatThrownBy(() -> broken.apply(new StoredPayload("Paid", 1, json("{}"))))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageContaining("upcaster of 'Paid' v1 failed: java.lang.IllegalStateException: no amount");
    }

    @Test
    void shouldRefuseARenameToATypeTheCodecDoesNotKnowAndNoUpcasterContinues() {
        JsonCodec<AccountEvent> codec = JsonCodec.forSealed(AccountEvent.class);
        Upcasters dangling = Upcasters.builder().rename("Credited", 1, "Deposit").build();

        assertThatThrownBy(() -> dangling.requireConsistentWith(codec, "events"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events upcasters: rename of 'Credited' v1 -> 'Deposit' v1 ends at 'Deposit' v1, which the events"
                        + " codec does not know and no upcaster continues from")
                .hasMessageContaining("known types: [Opened, Deposited");
        Upcasters.builder().rename("Credited", 1, "Deposit").rename("Deposit", 1, "Deposited").build()
                .requireConsistentWith(codec, "events");
    }

    @Test
    void shouldRefuseARenameAboveTheTargetsCurrentVersion() {
        JsonCodec<AccountEvent> codec = JsonCodec.forSealed(AccountEvent.class);
        Upcasters above = Upcasters.builder().rename("Credited", 1, "Deposited", 2).build();

        assertThatThrownBy(() -> above.requireConsistentWith(codec, "events"))
                .hasMessageContaining("rename of 'Credited' v1 -> 'Deposited' v2 ends at 'Deposited' v2, above its current version 1");
    }

    @Test
    void shouldCheckArgumentsAtOnce() {
        assertThatThrownBy(() -> Upcasters.builder().upcast("Paid", 0, json -> json))
                .hasMessage("version of 'Paid' must be at least 1 but was 0");
        assertThatThrownBy(() -> Upcasters.builder().rename(" ", 1, "Paid")).hasMessage("type must not be blank");
        assertThatThrownBy(() -> new StoredPayload("Paid", 0, json("{}")))
                .hasMessage("version of 'Paid' must be at least 1 but was 0");
    }
}
