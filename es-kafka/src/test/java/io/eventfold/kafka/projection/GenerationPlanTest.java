package io.eventfold.kafka.projection;

import org.junit.jupiter.api.Test;

import io.eventfold.kafka.projection.jdbc.JdbcCheckpointStore;

import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ConcurrentModificationException;
import java.util.List;

import static io.eventfold.kafka.projection.Generation.State.BUILDING;
import static io.eventfold.kafka.projection.Generation.State.DROPPED;
import static io.eventfold.kafka.projection.Generation.State.LIVE;
import static io.eventfold.kafka.projection.Generation.State.RETIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenerationPlanTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private static Generation g(int number, int version, Generation.State state) {
        return new Generation("invoice-list", number, version, state, T0);
    }

    @Test
    void shouldFeedTheLiveGenerationOfItsVersionAndBuildTheNewestOfItsVersion() {
        GenerationPlan plan = GenerationPlan.of(List.of(g(1, 1, RETIRED), g(2, 1, LIVE), g(3, 1, RETIRED), g(4, 1, BUILDING)), 1);

        assertThat(plan.live()).contains(g(2, 1, LIVE));
        assertThat(plan.feedsLive()).isTrue();
        assertThat(plan.superseded()).isFalse();
        assertThat(plan.building()).contains(g(4, 1, BUILDING));
        assertThat(plan.needsBuild()).isFalse();
    }

    @Test
    void shouldBuildANewerVersionBesideAnOlderLiveOne() {
        GenerationPlan upgrade = GenerationPlan.of(List.of(g(1, 1, LIVE), g(2, 1, BUILDING)), 2);

        assertThat(upgrade.feedsLive()).isFalse();
        assertThat(upgrade.superseded()).isFalse();
        assertThat(upgrade.needsBuild()).as("the old version's build is no use to version 2").isTrue();
        assertThat(upgrade.staleBuilds()).containsExactly(g(2, 1, BUILDING));
        assertThat(GenerationPlan.of(List.of(g(1, 1, LIVE), g(2, 2, BUILDING)), 2).needsBuild()).as("joins its version's build").isFalse();
    }

    @Test
    void shouldLeaveANewerVersionToItsRunners() {
        GenerationPlan oldCode = GenerationPlan.of(List.of(g(1, 1, RETIRED), g(2, 2, LIVE)), 1);
        GenerationPlan duringTheBuild = GenerationPlan.of(List.of(g(1, 1, LIVE), g(2, 2, BUILDING)), 1);

        assertThat(oldCode.superseded()).isTrue();
        assertThat(oldCode.feedsLive()).isFalse();
        assertThat(duringTheBuild.superseded()).as("the old version keeps serving until the switch").isFalse();
        assertThat(duringTheBuild.feedsLive()).isTrue();
        assertThat(duringTheBuild.building()).isEmpty();
        assertThat(duringTheBuild.newerBuilding()).isTrue();
    }

    @Test
    void shouldDropRetiredGenerationsAfterTheirRetention() {
        GenerationPlan plan = GenerationPlan.of(List.of(g(1, 1, DROPPED), g(2, 1, RETIRED), g(3, 1, LIVE)), 1);

        assertThat(plan.droppable(T0.plus(Duration.ofMinutes(9)), Duration.ofMinutes(10))).isEmpty();
        assertThat(plan.droppable(T0.plus(Duration.ofMinutes(10)), Duration.ofMinutes(10))).containsExactly(g(2, 1, RETIRED));
        assertThat(plan.droppable(T0, Duration.ZERO)).containsExactly(g(2, 1, RETIRED));
    }

    @Test
    void shouldRefuseToRegisterWhenAnotherRunnerRegisteredSinceThePlanWasRead() throws Exception {
        JdbcCheckpointStore store = JdbcCheckpointStore.of(() -> DriverManager.getConnection("jdbc:h2:mem:plan;DB_CLOSE_DELAY=-1"));
        store.createTablesIfMissing();
        // Two runners start at once: both read no generation, the other commits generation 1 first.
        GenerationPlan read = GenerationPlan.of(store.inTransaction(c -> store.generations(c, "started-together")), 1);
        store.inTransaction(c -> store.register(c, "started-together", 1, "first start"));

        assertThatThrownBy(() -> store.inTransaction(c -> read.register(store, c, "started-together", "first start")))
                .as("not a second, building generation 1+1 that this runner would take for its own")
                .isInstanceOf(ConcurrentModificationException.class);
        List<Generation> all = store.inTransaction(c -> store.generations(c, "started-together"));
        assertThat(all).extracting(Generation::state).containsExactly(LIVE);
    }
}
