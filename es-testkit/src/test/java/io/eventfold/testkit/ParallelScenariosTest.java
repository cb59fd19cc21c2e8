package io.eventfold.testkit;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountCommand.*;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.core.account.AccountEvent.*;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelScenariosTest {

    private static long leftoverStateDirs() {
        File[] dirs = new File(System.getProperty("java.io.tmpdir")).listFiles((dir, name) -> name.startsWith("eventfold-testkit-"));
        return dirs == null ? 0 : dirs.length;
    }

    @Test
    void shouldRunScenariosOfOneFixtureInParallelAndLeaveNoStateBehind() throws Exception {
        AggregateFixture<AccountCommand, AccountEvent, Account> fixture = AggregateFixture.of(Accounts.TYPE);
        long before = leftoverStateDirs();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> scenarios = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long amount = i + 1;
                scenarios.add(threads.submit(() -> fixture.given(new Opened("owner-" + amount))
                        .when(new Deposit(amount))
                        .thenEvents(new Deposited(amount))
                        .and()
                        .when(new Withdraw(amount))
                        .thenEvents(new Withdrawn(amount))
                        .thenVersion(3)));
            }
            for (Future<?> scenario : scenarios) {
                scenario.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(leftoverStateDirs()).isEqualTo(before);
    }
}
