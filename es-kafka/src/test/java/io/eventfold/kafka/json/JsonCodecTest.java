package io.eventfold.kafka.json;

import io.eventfold.kafka.EnvelopeFormatException;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonCodecTest {

    sealed interface Billing permits Billing.Charged, Billing.Voided, Billing.Adjustment {

        record Charged(BigDecimal amount, LocalDate on, Instant at, Optional<String> note, List<Line> lines, Kind kind)
                implements Billing {
        }

        record Voided() implements Billing {
        }

        /** A nested sealed level: its concrete records are registered too. */
        sealed interface Adjustment extends Billing permits Discount, Surcharge {
        }

        @JsonTypeName("discount.v2")
        record Discount(int percent) implements Adjustment {
        }

        record Surcharge(BigDecimal amount) implements Adjustment {
        }
    }

    record Line(String text, int quantity) {
    }

    enum Kind { CARD, TRANSFER }

    sealed interface Clash permits Clash.Left, Clash.Right {
        sealed interface Left extends Clash permits Left.Same {
            record Same() implements Left {
            }
        }

        sealed interface Right extends Clash permits Right.Same {
            record Same() implements Right {
            }
        }
    }

    private final JsonCodec<Billing> codec = JsonCodec.forSealed(Billing.class);

    @Test
    void shouldRegisterEveryConcreteSubtypeOfASealedHierarchy() {
        assertThat(codec.typeNames()).containsExactly("Charged", "Voided", "discount.v2", "Surcharge");
        assertThat(codec.typeName(new Billing.Discount(5))).isEqualTo("discount.v2");
        assertThat(codec.type()).isEqualTo(Billing.class);
    }

    @Test
    void shouldRoundTripRecordsWithMoneyTimeOptionalsCollectionsAndEnums() {
        Billing.Charged charged = new Billing.Charged(new BigDecimal("410.00"), LocalDate.of(2026, 11, 22),
                Instant.parse("2026-11-22T08:15:30.123Z"), Optional.of("first"), List.of(new Line("cards", 200)), Kind.CARD);

        JsonNode json = codec.toJson(charged);

        assertThat(json.toString()).isEqualTo("{\"amount\":410.00,\"on\":\"2026-11-22\",\"at\":\"2026-11-22T08:15:30.123Z\","
                + "\"note\":\"first\",\"lines\":[{\"text\":\"cards\",\"quantity\":200}],\"kind\":\"CARD\"}");
        assertThat(codec.fromJson("Charged", json)).isEqualTo(charged);
    }

    @Test
    void shouldKeepTheScaleOfAmountsReadFromText() throws Exception {
        JsonNode json = codec.mapper().readTree("{\"amount\":410.00}");

        Billing surcharge = codec.fromJson("Surcharge", json);

        assertThat(surcharge).isEqualTo(new Billing.Surcharge(new BigDecimal("410.00")));
    }

    @Test
    void shouldKeepEveryScaleOfAnAmountThroughText() throws Exception {
        for (BigDecimal amount : List.of(new BigDecimal("410.00"), new BigDecimal("1E+2"), new BigDecimal("0.0000001"), BigDecimal.ZERO)) {
            Billing surcharge = new Billing.Surcharge(amount);

            byte[] text = codec.mapper().writeValueAsBytes(codec.toJson(surcharge));

            assertThat(codec.fromJson("Surcharge", codec.mapper().readTree(text))).isEqualTo(surcharge);
        }
    }

    @Test
    void shouldRoundTripARecordWithoutComponents() {
        assertThat(codec.toJson(new Billing.Voided()).toString()).isEqualTo("{}");
        assertThat(codec.fromJson("Voided", codec.toJson(new Billing.Voided()))).isEqualTo(new Billing.Voided());
    }

    @Test
    void shouldIgnoreUnknownPropertiesWrittenByANewerVersion() throws Exception {
        JsonNode json = codec.mapper().readTree("{\"percent\":5,\"reason\":\"loyalty\"}");

        assertThat(codec.fromJson("discount.v2", json)).isEqualTo(new Billing.Discount(5));
    }

    @Test
    void shouldNameTheKnownTypesWhenATypeNameIsUnknown() {
        assertThatThrownBy(() -> codec.fromJson("Refunded", codec.mapper().createObjectNode()))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessage("unknown Billing type 'Refunded'; known types: [Charged, Voided, discount.v2, Surcharge]");
    }

    @Test
    void shouldSayWhichTypeCouldNotBeRead() throws Exception {
        JsonNode json = codec.mapper().readTree("{\"percent\":\"many\"}");

        assertThatThrownBy(() -> codec.fromJson("discount.v2", json))
                .isInstanceOf(EnvelopeFormatException.class)
                .hasMessageStartingWith("cannot read Billing type 'discount.v2': Cannot deserialize value of type `int`");
    }

    @Test
    void shouldRefuseTwoSubtypesWithTheSameTypeName() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.forSealed(Clash.class))
                .withMessage("type name 'Same' is used by both " + Clash.Left.Same.class.getName() + " and "
                        + Clash.Right.Same.class.getName() + "; give one of them @JsonTypeName");
    }

    @Test
    void shouldRefuseATypeThatIsNotSealed() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.forSealed(Line.class))
                .withMessage(Line.class.getName() + " is not sealed: use JsonCodec.forClass for a single concrete type");
    }

    @Test
    void shouldHandleASingleConcreteClass() {
        JsonCodec<Line> lines = JsonCodec.forClass(Line.class);

        assertThat(lines.typeNames()).containsExactly("Line");
        assertThat(lines.fromJson("Line", lines.toJson(new Line("x", 1)))).isEqualTo(new Line("x", 1));
        assertThat(JsonCodec.forClass(Billing.class).typeNames()).hasSize(4);
    }

    @Test
    void shouldRefuseToWriteAnUnregisteredClass() {
        JsonCodec<Object> objects = JsonCodec.forClass(Object.class);

        assertThatIllegalArgumentException().isThrownBy(() -> objects.toJson("text"))
                .withMessage("java.lang.String is not a known subtype of java.lang.Object; known types: [Object]");
    }
}
