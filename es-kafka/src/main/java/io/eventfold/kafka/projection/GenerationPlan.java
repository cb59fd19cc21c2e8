package io.eventfold.kafka.projection;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;

/**
 * What a runner of one code version makes of a projection's generations: which one is live,
 * whether it feeds it, which generation of its version is being built, whether a newer version
 * took over. Pure: the rules of the generation state machine in one place, no I/O.
 *
 * @param all the generations, oldest first
 * @param version the runner's code version
 */
record GenerationPlan(List<Generation> all, int version) {

    static GenerationPlan of(List<Generation> all, int version) {
        return new GenerationPlan(List.copyOf(all), version);
    }

    /** The live generation; a projection has at most one. */
    Optional<Generation> live() {
        return all.stream().filter(g -> g.state() == Generation.State.LIVE).findFirst();
    }

    /** A newer version of the projection is live: this runner's code is too old to feed or build anything. */
    boolean superseded() {
        return live().map(g -> g.version() > version).orElse(false);
    }

    /** This runner feeds the live generation: it was built by the same version. */
    boolean feedsLive() {
        return live().map(g -> g.version() == version).orElse(false);
    }

    /** The generation of this runner's version being built, if any (the newest). */
    Optional<Generation> building() {
        return all.stream().filter(g -> g.state() == Generation.State.BUILDING && g.version() == version)
                .max(Comparator.comparingInt(Generation::number));
    }

    /** A generation of a newer version is being built: this runner must not start one of its own. */
    boolean newerBuilding() {
        return all.stream().anyMatch(g -> g.state() == Generation.State.BUILDING && g.version() > version);
    }

    /** The live generation is of an older version and nothing newer is being built: an upgrade needs a build of ours. */
    boolean needsBuild() {
        return live().map(g -> g.version() < version).orElse(false) && building().isEmpty() && !newerBuilding();
    }

    /** Building generations of older versions, replaced when this version asks for a build. */
    List<Generation> staleBuilds() {
        return all.stream().filter(g -> g.state() == Generation.State.BUILDING && g.version() < version).toList();
    }

    /** Retired generations whose tables have been kept long enough. */
    List<Generation> droppable(Instant now, Duration retention) {
        return all.stream().filter(g -> g.state() == Generation.State.RETIRED && !g.since().plus(retention).isAfter(now)).toList();
    }

    /** A generation by number. */
    Optional<Generation> find(int number) {
        return all.stream().filter(g -> g.number() == number).findFirst();
    }

    /**
     * Asks for a generation of {@code version} to be built, durably, in the caller's transaction:
     * joins one already building, retires builds of older versions, else registers a new one
     * (live at once when the projection has no live generation).
     *
     * @throws IllegalStateException when a newer version of the projection is live or being built
     */
    static <S> Generation request(CheckpointStore<S> store, S session, String projection, int version, String reason) throws Exception {
        GenerationPlan plan = of(store.generations(session, projection), version);
        if (plan.superseded() || plan.newerBuilding()) {
            Generation newer = plan.all().stream().filter(g -> g.version() > version && g.state() != Generation.State.DROPPED
                    && g.state() != Generation.State.RETIRED).findFirst().orElseThrow();
            throw new IllegalStateException("projection " + projection + ": generation " + newer.number() + " of version " + newer.version()
                    + " is " + newer.state() + "; this runner has version " + version + " and cannot rebuild it. Rebuild from a runner of version "
                    + newer.version());
        }
        Optional<Generation> joined = plan.building();
        if (joined.isPresent()) {
            return joined.get();
        }
        for (Generation stale : plan.staleBuilds()) {
            store.supersede(session, stale, "superseded by a build of version " + version);
        }
        return plan.register(store, session, projection, reason);
    }

    /**
     * Registers the next generation as this plan expects it (live when none is, else building),
     * in the caller's transaction.
     *
     * @throws ConcurrentModificationException when another runner registered one since the plan
     *     was read: the caller rolls back and reads again
     */
    <S> Generation register(CheckpointStore<S> store, S session, String projection, String reason) throws Exception {
        int next = all.stream().mapToInt(Generation::number).max().orElse(0) + 1;
        Generation.State expected = live().isPresent() ? Generation.State.BUILDING : Generation.State.LIVE;
        Generation registered = store.register(session, projection, version, reason);
        if (registered.number() != next || registered.state() != expected) {
            throw new ConcurrentModificationException("projection " + projection + ": another runner registered a generation meanwhile");
        }
        return registered;
    }
}
