package io.eventfold.testkit.internal;

import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link TopologyTestDriver}s of one topology runner. A driver lives for one step and the
 * stores' contents are carried to the next, so nothing native outlives a step; except while the
 * stores hold work for a wall-clock punctuator (deadlines to fire, commands to send again): a
 * punctuator is armed when its processor starts or when it is given work, so then the driver
 * lives on between steps, as a running application does, and its clock is advanced. A driver
 * left open by a scenario that is not continued is closed when the runner is garbage-collected.
 */
final class Drivers {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Object owner;
    private final Topology topology;
    private final Function<Path, Properties> properties;
    private Open current;
    private Cleaner.Cleanable cleanable;
    private Instant wallClock;

    /** A driver and its state directory; closing deletes the directory. */
    private record Open(TopologyTestDriver driver, Path dir) implements Runnable {
        @Override
        public void run() {
            try {
                driver.close();
            } finally {
                TempDirs.delete(dir);
            }
        }
    }

    /**
     * @param owner the runner: the live driver is closed when it is unreachable
     * @param properties the driver's properties for a state directory
     */
    Drivers(Object owner, Topology topology, Function<Path, Properties> properties) {
        this.owner = owner;
        this.topology = topology;
        this.properties = properties;
    }

    /** Whether a driver lives on from an earlier step. */
    boolean live() {
        return current != null;
    }

    /** The live driver's wall-clock time; meaningful while {@link #live()}. */
    Instant wallClock() {
        return wallClock;
    }

    /**
     * The driver for the next step: the live one, or a new one whose wall clock starts at
     * {@code startAt} and whose stores {@code restore} fills.
     */
    TopologyTestDriver acquire(Instant startAt, Consumer<TopologyTestDriver> restore) {
        if (current == null) {
            Path dir = TempDirs.create();
            TopologyTestDriver driver;
            try {
                driver = new TopologyTestDriver(topology, properties.apply(dir), startAt);
            } catch (RuntimeException e) {
                TempDirs.delete(dir);
                throw e;
            }
            current = new Open(driver, dir);
            wallClock = startAt;
            try {
                restore.accept(driver);
            } catch (RuntimeException e) {
                release(false);
                throw e;
            }
        }
        return current.driver();
    }

    /** Advances the live driver's wall clock to {@code now}, firing the wall-clock punctuators due by then. */
    void advanceTo(Instant now) {
        Duration by = Duration.between(wallClock, now);
        if (!by.isNegative() && !by.isZero()) {
            current.driver().advanceWallClockTime(by);
            wallClock = now;
        }
    }

    /** Ends a step: the driver lives on when {@code keep}, and is closed otherwise. */
    void release(boolean keep) {
        if (current == null) {
            return;
        }
        if (keep) {
            if (cleanable == null) {
                cleanable = CLEANER.register(owner, current);
            }
            return;
        }
        Open closing = current;
        current = null;
        if (cleanable != null) {
            Cleaner.Cleanable registered = cleanable;
            cleanable = null;
            registered.clean();
        } else {
            closing.run();
        }
    }
}
