package io.eventfold.embedded;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A JUnit 5 extension that gives a test class one {@link EmbeddedKafka} broker: started before
 * the first test, closed after the last, with its data in a temporary directory on a free port.
 *
 * <pre>{@code
 * class OrdersIT {
 *
 *     @RegisterExtension
 *     static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension();
 *
 *     @Test
 *     void shouldShipAnOrder() {
 *         try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
 *             ...
 *         }
 *     }
 *
 *     @Test
 *     void shouldSeeTheBroker(EmbeddedKafka broker) {   // or as a parameter
 *         assertThat(broker.isRunning()).isTrue();
 *     }
 * }
 * }</pre>
 *
 * <p>Register it in a {@code static} field: the broker lives for the whole class
 * ({@code BeforeAll}/{@code AfterAll}). {@code @ExtendWith(EmbeddedKafkaExtension.class)} works as
 * well, with the broker then reached through {@link EmbeddedKafka} parameters. {@code @Nested}
 * classes share their outer class's broker.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final UnaryOperator<EmbeddedKafka.Builder> configuration;
    private EmbeddedKafka kafka;
    private ExtensionContext owner;

    /** A broker with the defaults of {@link EmbeddedKafka#builder()}: temporary data, a free port. */
    public EmbeddedKafkaExtension() {
        this(UnaryOperator.identity());
    }

    /**
     * A broker configured by the test, e.g. with broker properties. Its data directory stays
     * temporary unless the configuration sets one.
     *
     * <pre>{@code
     * @RegisterExtension
     * static final EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension(
     *         broker -> broker.brokerProperty("log.retention.ms", "1000"));
     * }</pre>
     *
     * @param configuration applied to a fresh builder before each start
     */
    public EmbeddedKafkaExtension(UnaryOperator<EmbeddedKafka.Builder> configuration) {
        this.configuration = Objects.requireNonNull(configuration, "configuration must not be null");
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (kafka != null) {
            return; // a @Nested class: the outer class's broker serves it
        }
        kafka = configuration.apply(EmbeddedKafka.builder()).build();
        owner = context;
        try {
            kafka.start();
        } catch (RuntimeException e) {
            kafka = null;
            owner = null;
            throw e;
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context != owner) {
            return;
        }
        try {
            kafka.close();
        } finally {
            kafka = null;
            owner = null;
        }
    }

    /**
     * The address of this class's broker.
     *
     * @return {@code host:port}
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /**
     * This class's broker.
     *
     * @return the running broker
     * @throws IllegalStateException outside of the test class's lifetime
     */
    public synchronized EmbeddedKafka broker() {
        if (kafka == null) {
            throw new IllegalStateException("no broker runs: register the EmbeddedKafkaExtension in a static field "
                    + "(@RegisterExtension static final) so it starts before the tests");
        }
        return kafka;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker();
    }
}
