package io.eventfold.kafka.projection;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The thread of a {@code ProjectionRunner} that follows the projection's generations in the store:
 * starts a loop for the live generation (when this runner's version built it) and one for a
 * generation of its version being built, tries the switch-over once the build has caught up,
 * moves to the new generation once switched, drops retired generations after their retention and
 * completes rebuild requests. Every decision is re-read from the store at each tick, so it holds
 * across crashes and for every runner of the projection alike.
 */
final class Supervisor<T, S> {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Duration TICK = Duration.ofMillis(500);
    static final Duration FREEZE = Duration.ofSeconds(2);

    private final RunnerSettings<T, S> settings;
    private final StatusTracker main;
    private final List<ProjectionListener> listeners;
    private final Map<Integer, List<CompletableFuture<Generation>>> pending;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private Thread thread;

    private volatile ProjectionLoop<T, S> liveLoop;
    private volatile ProjectionLoop<T, S> buildLoop;
    private Generation seenLive;
    private final Set<Integer> wentLive = new HashSet<>();
    private boolean tablesReady;
    private int failures;

    Supervisor(RunnerSettings<T, S> settings, StatusTracker main, List<ProjectionListener> listeners,
               Map<Integer, List<CompletableFuture<Generation>>> pending) {
        this.settings = settings;
        this.main = main;
        this.listeners = listeners;
        this.pending = pending;
    }

    synchronized void start() {
        thread = new Thread(this::run, "eventfold-projection-supervisor-" + settings.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the next tick at once (a rebuild was requested). */
    void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isRunning() {
        Thread started = thread;
        return started != null && started.isAlive() && !StatusTracker.stopped(main.current().state());
    }

    RuntimeException failure() {
        ProjectionLoop<T, S> loop = liveLoop;
        return loop == null ? null : loop.failure();
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (!tick()) {
                        return;
                    }
                    failures = 0;
                    if (liveLoop == null) {
                        main.recovered();
                    }
                } catch (ConcurrentModificationException raced) {
                    // Another runner registered a generation between this one's read and write: read again.
                    LOG.debug("{}", raced.getMessage());
                    continue;
                } catch (Exception e) {
                    failures++;
                    if (liveLoop == null) {
                        // Nothing else reports the store's trouble yet: the runner's status does.
                        LOG.warn("projection {}: reading its generations failed; attempt {}", settings.name(), failures, e);
                        main.failed(ProjectionStatus.State.RETRYING, e, Optional.empty());
                        pause(settings.backoff(failures));
                        continue;
                    }
                    LOG.warn("projection {}: following its generations failed; trying again", settings.name(), e);
                }
                pause(TICK);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("projection {}: the generation supervisor stopped", settings.name(), e);
            main.failed(ProjectionStatus.State.FAILED, e, Optional.empty());
        } finally {
            running = false;
            ProjectionLoop<T, S> build = buildLoop;
            if (build != null) {
                build.retire();
            }
            ProjectionLoop<T, S> live = liveLoop;
            if (live != null) {
                live.close();
            }
            main.rebuild(Optional.empty());
            failPending(number -> "the runner of projection " + settings.name() + " stopped before generation " + number
                    + " went live; the request is kept in the store and carried out when a runner of the projection runs");
            if (!StatusTracker.stopped(main.current().state())) {
                main.state(ProjectionStatus.State.STOPPED);
            }
        }
    }

    /** One look at the generations and what follows; false when this runner has nothing more to do. */
    private boolean tick() throws Exception {
        CheckpointStore<S> store = settings.store();
        int version = settings.projection().version();
        if (!tablesReady) {
            store.createTablesIfMissing();
            tablesReady = true;
        }
        GenerationPlan plan = GenerationPlan.of(store.inTransaction(session -> {
            List<Generation> all = store.generations(session, settings.name());
            GenerationPlan first = GenerationPlan.of(all, version);
            if (first.live().isEmpty()) {
                first.register(store, session, settings.name(), "first start");
                all = store.generations(session, settings.name());
            }
            return all;
        }), version);
        if (plan.needsBuild()) {
            Generation requested = store.inTransaction(session -> GenerationPlan.request(store, session, settings.name(), version,
                    "upgrade to version " + version));
            LOG.info("projection {}: version {} builds generation {} beside the live one", settings.name(), version, requested.number());
            plan = GenerationPlan.of(store.inTransaction(session -> store.generations(session, settings.name())), version);
        }
        Generation live = plan.live().orElseThrow(() -> new IllegalStateException("projection " + settings.name() + " has no live generation"));
        noticeSwitch(plan, live);
        if (plan.superseded()) {
            superseded(live);
            return false;
        }
        // The build loop first: after a switch it leaves the new generation's group before the live loop joins it.
        followBuild(plan);
        followLive(plan, live);
        settle(plan);
        if (buildLoop != null && trySwitch(buildLoop, live)) {
            wake();   // follow the new live generation at once
        }
        dropRetired(plan);
        return true;
    }

    /** Tells the listeners once this runner sees that another generation went live. */
    private void noticeSwitch(GenerationPlan plan, Generation live) {
        if (seenLive != null && seenLive.number() != live.number()) {
            Generation retired = plan.find(seenLive.number()).orElse(seenLive);
            LOG.info("projection {}: generation {} is live, generation {} retired", settings.name(), live.number(), retired.number());
            for (ProjectionListener listener : listeners) {
                try {
                    listener.onSwitch(retired, live);
                } catch (RuntimeException e) {
                    LOG.warn("projection listener {} failed on a switch of {}", listener, settings.name(), e);
                }
            }
        }
        if (seenLive == null || seenLive.number() != live.number()) {
            main.live(live);
        }
        seenLive = live;
        wentLive.add(live.number());
    }

    private void followLive(GenerationPlan plan, Generation live) {
        ProjectionLoop<T, S> current = liveLoop;
        if (plan.feedsLive() && (current == null || current.generation().number() != live.number())) {
            if (current != null) {
                current.retire();
            }
            ProjectionLoop<T, S> loop = new ProjectionLoop<>(settings, main, live);
            liveLoop = loop;
            loop.start();
        } else if (!plan.feedsLive() && main.current().state() == ProjectionStatus.State.STARTING) {
            // A newer version than the live one: this runner builds its generation before it serves.
            main.state(ProjectionStatus.State.CATCHING_UP);
        }
    }

    private void followBuild(GenerationPlan plan) {
        Optional<Generation> building = plan.building();
        if (buildLoop != null && (building.isEmpty() || building.get().number() != buildLoop.generation().number())) {
            buildLoop.retire();
            buildLoop = null;
            main.rebuild(Optional.empty());
        }
        if (building.isPresent() && buildLoop == null) {
            Generation g = building.get();
            StatusTracker tracker = new StatusTracker(settings.name(), main.current().instance(), List.of(new ProjectionListener() {
                @Override
                public void onFailure(ProjectionStatus status, Throwable error) {
                    for (ProjectionListener listener : listeners) {
                        try {
                            listener.onFailure(main.current(), error);
                        } catch (RuntimeException e) {
                            LOG.warn("projection listener {} failed on a failure of {}", listener, settings.name(), e);
                        }
                    }
                }
            }));
            tracker.onChange(() -> main.rebuild(Optional.of(BuildProgress.of(g, tracker.current()))));
            main.rebuild(Optional.of(BuildProgress.of(g, tracker.current())));
            buildLoop = new ProjectionLoop<>(settings, tracker, g);
            buildLoop.start();
        }
    }

    /** Completes the rebuild requests whose generation went live, fails those that cannot. */
    private void settle(GenerationPlan plan) {
        for (Integer number : new ArrayList<>(pending.keySet())) {
            Optional<Generation> found = plan.find(number);
            if (found.isEmpty()) {
                continue;
            }
            Generation g = found.get();
            if (g.state() == Generation.State.LIVE || (g.state() != Generation.State.BUILDING && wentLive.contains(number))) {
                complete(number, future -> future.complete(g));
            } else if (g.state() != Generation.State.BUILDING) {
                complete(number, future -> future.completeExceptionally(new IllegalStateException("projection " + settings.name()
                        + ": generation " + number + " was " + g.state() + " before it went live (a newer build replaced it)")));
            } else if (buildLoop != null && buildLoop.generation().number() == number && buildLoop.failure() != null) {
                RuntimeException error = buildLoop.failure();
                complete(number, future -> future.completeExceptionally(error));
            }
        }
    }

    private boolean trySwitch(ProjectionLoop<T, S> build, Generation live) throws Exception {
        List<TopicPartition> partitions = build.partitions();
        Generation building = build.generation();
        if (partitions.isEmpty() || live.number() == building.number() || build.failure() != null) {
            return false;
        }
        CheckpointStore<S> store = settings.store();
        // An unlocked look first: live writers are held only when the build looks caught up.
        boolean ready = store.inTransaction(session -> CheckpointStore.caughtUp(store.positions(session, building, partitions),
                store.positions(session, live, partitions), partitions));
        if (!ready) {
            return false;
        }
        boolean switched = store.inTransaction(session -> store.switchOver(session, building, live, partitions, FREEZE));
        if (switched) {
            LOG.info("projection {}: switched readers from generation {} to generation {}", settings.name(), live.number(), building.number());
        }
        return switched;
    }

    private void dropRetired(GenerationPlan plan) throws Exception {
        CheckpointStore<S> store = settings.store();
        for (Generation retired : plan.droppable(Instant.now(), settings.retiredRetention())) {
            store.inTransaction(session -> {
                settings.projection().dropTables(session, retired);
                return null;
            });
            store.inTransaction(session -> {
                store.markDropped(session, retired);
                return null;
            });
            LOG.info("projection {}: dropped the tables of retired generation {}", settings.name(), retired.number());
        }
    }

    private void superseded(Generation live) {
        ProjectionLoop<T, S> current = liveLoop;
        if (current != null) {
            current.retire();
        }
        String message = "projection " + settings.name() + ": the live generation " + live.number() + " was built by version "
                + live.version() + " of the projection; this runner has version " + settings.projection().version()
                + " and stops, leaving it to the newer build";
        LOG.warn(message);
        main.failed(ProjectionStatus.State.SUPERSEDED, new IllegalStateException(message), Optional.empty());
        failPending(number -> message);
    }

    private void failPending(java.util.function.IntFunction<String> why) {
        for (Integer number : new ArrayList<>(pending.keySet())) {
            complete(number, future -> future.completeExceptionally(new IllegalStateException(why.apply(number))));
        }
    }

    private void complete(int number, java.util.function.Consumer<CompletableFuture<Generation>> how) {
        List<CompletableFuture<Generation>> futures = pending.remove(number);
        if (futures != null) {
            synchronized (futures) {
                futures.forEach(how);
            }
        }
    }

    private void pause(Duration pause) {
        lock.lock();
        try {
            long left = pause.toNanos();
            while (running && !woken && left > 0) {
                left = wake.awaitNanos(left);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        Thread started;
        synchronized (this) {
            started = thread;
        }
        running = false;
        // The loops stop after their current batches now, not after the supervisor's tick.
        ProjectionLoop<T, S> live = liveLoop;
        if (live != null) {
            live.stopSoon(false);
        }
        ProjectionLoop<T, S> build = buildLoop;
        if (build != null) {
            build.stopSoon(true);
        }
        wake();
        if (started == null) {
            return;
        }
        try {
            started.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean alive() {
        Thread started = thread;
        return started != null && started.isAlive();
    }
}
