package io.eventfold.kafka.audit;

import io.eventfold.core.account.Account;
import io.eventfold.core.account.AccountCommand;
import io.eventfold.core.account.AccountEvent;
import io.eventfold.kafka.AggregateType;
import io.eventfold.kafka.EventSourcedTopologyTest;
import io.eventfold.kafka.ProcessManagerType;
import io.eventfold.core.ProcessManager;
import io.eventfold.core.Reaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The exit codes of the command line: 1 means violations and nothing else. */
class LogAuditMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void shouldExitWith2ForBadArguments() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS")).as("no brokers").isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--bootstrap-servers")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--bootstrap-server", "localhost:1")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--consumer.config", dir.resolve("missing").toString()))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: LogAudit", "unknown option --bootstrap-server", "missing");
    }

    @Test
    void shouldExitWith2WhenTheAggregateTypeCannotBeLoaded() {
        assertThat(run("--type", "com.acme.Missing#TYPE", "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#NONE", "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#NOT_A_TYPE", "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        // Its static initialiser throws: an ExceptionInInitializerError, then a NoClassDefFoundError.
        assertThat(run("--type", Exploding.class.getName() + "#TYPE", "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(run("--type", Exploding.class.getName() + "#TYPE", "--bootstrap-servers", "localhost:1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot load the aggregate type", "ExceptionInInitializerError",
                "NoClassDefFoundError", "#NONE is null, not an AggregateType");
        assertThat(out.size()).isZero();
    }

    @Test
    void shouldExitWith2WhenAProcessManagerCannotBeLoadedOrSendsToAnotherType() {
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--bootstrap-servers", "localhost:1",
                "--process-manager", "com.acme.Missing#MANAGER")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--bootstrap-servers", "localhost:1",
                "--process-manager", Types.class.getName() + "#ACCOUNTS")).isEqualTo(2);
        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--bootstrap-servers", "localhost:1",
                "--process-manager", Types.class.getName() + "#TO_ACCOUNTS", "--process-manager", Types.class.getName() + "#TO_OTHERS"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot load the process managers", "ClassNotFoundException",
                "#ACCOUNTS is a io.eventfold.kafka.AggregateType, not a ProcessManagerType",
                "process manager to-others sends commands to others, not to main-test: audit it with LogAudit.of(its target type)");
        assertThat(out.size()).isZero();
    }

    @Test
    void shouldRefuseANegativeDeadlineGraceAndAManagerGivenTwice() {
        LogAudit<AccountCommand, AccountEvent, Account> audit = LogAudit.of(Types.ACCOUNTS);
        assertThatThrownBy(() -> audit.deadlineGrace(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the deadline grace must not be negative but was PT-1S");
        assertThatThrownBy(() -> audit.processManagers(Types.TO_ACCOUNTS, Types.TO_ACCOUNTS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("process manager to-accounts is given twice");
    }

    @Test
    void shouldExitWith3WhenTheTopicsCannotBeReadAndTakeTheSettingsOfTheConsumerConfig() throws IOException {
        Path config = dir.resolve("consumer.properties");
        Files.writeString(config, "bootstrap.servers=localhost:1\nsecurity.protocol=NO_SUCH_PROTOCOL\n");

        assertThat(run("--type", Types.class.getName() + "#ACCOUNTS", "--consumer.config", config.toString())).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the audit could not read the topics of main-test",
                "NO_SUCH_PROTOCOL");
    }

    private int run(String... args) {
        return LogAudit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Static fields to name with {@code --type}. */
    static final class Types {
        public static final AggregateType<AccountCommand, AccountEvent, Account> ACCOUNTS = EventSourcedTopologyTest.accounts("main-test");
        public static final AggregateType<?, ?, ?> NONE = null;
        public static final String NOT_A_TYPE = "accounts";
        public static final AggregateType<AccountCommand, AccountEvent, Account> OTHERS = EventSourcedTopologyTest.accounts("others");
        public static final ProcessManagerType<AccountEvent, String, AccountCommand> TO_ACCOUNTS = manager("to-accounts", ACCOUNTS);
        public static final ProcessManagerType<AccountEvent, String, AccountCommand> TO_OTHERS = manager("to-others", OTHERS);

        private static ProcessManagerType<AccountEvent, String, AccountCommand> manager(String name,
                                                                                      AggregateType<AccountCommand, AccountEvent, Account> to) {
            return ProcessManagerType.builder(name, ProcessManager.<AccountEvent, String, AccountCommand>of("", (state, event) -> Reaction.of(state)))
                    .from(OTHERS).to(to).state(String.class).build();
        }
    }

    /** A class whose initialiser fails, as one missing a dependency would. */
    static final class Exploding {
        public static final AggregateType<?, ?, ?> TYPE = explode();

        private static AggregateType<?, ?, ?> explode() {
            throw new IllegalStateException("no configuration");
        }
    }
}
