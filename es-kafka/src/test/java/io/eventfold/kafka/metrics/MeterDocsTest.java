package io.eventfold.kafka.metrics;

import io.eventfold.kafka.internal.metrics.MeterNames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/operations.md lists every meter Eventfold registers, with its meaning: this keeps the list true to the code. */
class MeterDocsTest {

    @Test
    void everyMeterHasARowInTheOperationsPage() throws IOException, IllegalAccessException {
        String docs = Files.readString(Path.of("..", "docs", "operations.md"));
        List<String> missing = new ArrayList<>();
        for (Field field : MeterNames.class.getFields()) {
            String value = (String) field.get(null);
            if (Modifier.isStatic(field.getModifiers()) && value.startsWith("eventfold.")
                    && docs.lines().noneMatch(line -> line.startsWith("| `" + value + "` |"))) {
                missing.add(value);
            }
        }
        assertThat(missing).as("meters without a row in docs/operations.md").isEmpty();
    }
}
