package io.eventfold.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The state directories of the topology runners' drivers: one per step, deleted after it. */
final class TempDirs {

    private TempDirs() {
    }

    static Path create() {
        try {
            return Files.createTempDirectory("eventfold-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the topology runner", e);
        }
    }

    static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temporary folder is not worth failing a test for.
        }
    }
}
