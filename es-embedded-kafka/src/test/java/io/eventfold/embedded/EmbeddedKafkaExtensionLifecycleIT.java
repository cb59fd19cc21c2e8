package io.eventfold.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The extension's callbacks as JUnit calls them for a class with a nested class. */
class EmbeddedKafkaExtensionLifecycleIT {

    @Test
    void shouldStartOnceForAClassAndItsNestedClassAndCloseAfterTheOuterOne() {
        EmbeddedKafkaExtension extension = new EmbeddedKafkaExtension();
        ExtensionContext outer = context("outer");
        ExtensionContext nested = context("nested");

        extension.beforeAll(outer);
        EmbeddedKafka broker = extension.broker();
        extension.beforeAll(nested);
        extension.afterAll(nested);

        assertThat(extension.broker()).isSameAs(broker);
        assertThat(broker.isRunning()).as("broker %s after the nested class", broker).isTrue();

        extension.afterAll(outer);

        assertThat(broker.isRunning()).as("broker %s after the outer class", broker).isFalse();
        assertThatThrownBy(extension::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no broker runs");
    }

    /** A context that only has an identity: the extension asks it nothing. */
    private static ExtensionContext context(String name) {
        return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
