package io.eventfold.buildchecks;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Internals are unreachable, not just named: no module uses another module's {@code internal}
 * packages, and no public API type shows an internal type in a signature a user could call.
 * Reads the compiled main classes of every module (their test classes are not on this class path).
 */
class ModuleBoundariesTest {

    /** The entry points of es-kafka: every other public type lives in a package named for its role. */
    private static final Set<String> KAFKA_ENTRY_POINTS = Set.of(
            "AggregateType", "TopicNames", "StoreNames", "TopicRole", "TopicLayout", "TopicLayoutException",
            "ReplicationPolicy", "EventSourcedTopology", "EventfoldStreams", "EventfoldConfig", "EventfoldHeaders", "EnvelopeFormatException",
            "SnapshotVersionException", "SnapshotsRebuildingException", "SnapshotRebuilds", "RebuildStatus",
            "TopologyPart", "ProcessManagerType", "ProcessManagerTopics", "EventfoldMdc");

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.eventfold");
    }

    @Test
    void shouldReadTheClassesOfEveryModule() {
        assertThat(classes.stream().map(javaClass -> Modules.of(javaClass.getPackageName())).distinct())
                .contains("io.eventfold.core", "io.eventfold.kafka", "io.eventfold.testkit", "io.eventfold.embedded", "io.eventfold.examples",
                        "io.eventfold.benchmarks");
    }

    @Test
    void shouldUseNoInternalPackageOfAnotherModule() {
        List<String> violations = classes.stream()
                .flatMap(javaClass -> javaClass.getDirectDependenciesFromSelf().stream())
                .filter(ModuleBoundariesTest::reachesIntoAnotherModule)
                .map(Dependency::getDescription)
                .distinct().sorted().toList();

        assertThat(violations).as("uses of another module's internal package").isEmpty();
    }

    @Test
    void shouldShowNoInternalTypeInThePublicApi() {
        Set<String> violations = new TreeSet<>();
        classes.stream().filter(ModuleBoundariesTest::isPublicApi).forEach(type -> {
            Stream.concat(type.getRawSuperclass().stream(), type.getRawInterfaces().stream())
                    .filter(ModuleBoundariesTest::isInternal)
                    .forEach(internal -> violations.add(type.getName() + " extends or implements " + internal.getName()));
            type.getMembers().stream().filter(ModuleBoundariesTest::isCallable).forEach(member ->
                    signatureTypes(member).filter(ModuleBoundariesTest::isInternal).forEach(internal ->
                            violations.add(member.getFullName() + " shows " + internal.getName())));
        });

        assertThat(violations).as("internal types in public signatures").isEmpty();
    }

    @Test
    void shouldKeepOnlyEntryPointsInTheKafkaRootPackage() {
        List<String> publicTypes = classes.stream()
                .filter(javaClass -> javaClass.getPackageName().equals("io.eventfold.kafka"))
                .filter(javaClass -> javaClass.isTopLevelClass() && javaClass.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getSimpleName).sorted().toList();

        assertThat(publicTypes).containsExactlyInAnyOrderElementsOf(KAFKA_ENTRY_POINTS);
    }

    @Test
    void shouldKeepTheInvoiceDomainFreeOfFrameworkTypes() {
        List<String> violations = classes.stream()
                .filter(javaClass -> javaClass.getPackageName().startsWith("io.eventfold.examples.invoices.domain"))
                .flatMap(javaClass -> javaClass.getDirectDependenciesFromSelf().stream())
                .filter(dependency -> {
                    String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                    return !target.isEmpty() && !target.startsWith("java.") && !target.startsWith("io.eventfold.core")
                            && !target.startsWith("io.eventfold.examples.invoices.domain");
                })
                .map(Dependency::getDescription).distinct().sorted().toList();

        assertThat(violations).as("dependencies of the domain on anything but java.* and es-core").isEmpty();
    }

    @Test
    void shouldKeepTheAccountDomainFreeOfFrameworkTypes() {
        List<String> violations = classes.stream()
                .filter(javaClass -> javaClass.getPackageName().startsWith("io.eventfold.examples.invoices.account"))
                .flatMap(javaClass -> javaClass.getDirectDependenciesFromSelf().stream())
                .filter(dependency -> {
                    String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                    // The process manager reads the invoice domain's events: that domain, not its Kafka type.
                    return !target.isEmpty() && !target.startsWith("java.") && !target.startsWith("io.eventfold.core")
                            && !target.startsWith("io.eventfold.examples.invoices.account")
                            && !target.startsWith("io.eventfold.examples.invoices.domain");
                })
                .map(Dependency::getDescription).distinct().sorted().toList();

        assertThat(violations).as("dependencies of the account domain on anything but java.*, es-core and the invoice domain").isEmpty();
    }

    private static boolean reachesIntoAnotherModule(Dependency dependency) {
        String origin = dependency.getOriginClass().getPackageName();
        String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
        return Modules.isInternal(target) && target.startsWith("io.eventfold.")
                && !Modules.of(origin).equals(Modules.of(target));
    }

    private static boolean isPublicApi(JavaClass type) {
        return !Modules.isInternal(type.getPackageName()) && type.getModifiers().contains(JavaModifier.PUBLIC)
                && (type.isTopLevelClass() || type.getEnclosingClass().map(ModuleBoundariesTest::isPublicApi).orElse(false));
    }

    private static boolean isCallable(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        return (modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED))
                && !modifiers.contains(JavaModifier.SYNTHETIC);
    }

    private static Stream<JavaClass> signatureTypes(JavaMember member) {
        if (member instanceof JavaField field) {
            return field.getType().getAllInvolvedRawTypes().stream();
        }
        JavaCodeUnit code = (JavaCodeUnit) member;
        return Stream.concat(code.getReturnType().getAllInvolvedRawTypes().stream(),
                code.getParameterTypes().stream().flatMap(parameter -> parameter.getAllInvolvedRawTypes().stream()));
    }

    private static boolean isInternal(JavaClass type) {
        return Modules.isInternal(type.getBaseComponentType().getPackageName())
                && type.getPackageName().startsWith("io.eventfold.");
    }

    /** A module is named by the first three segments of its packages: {@code io.eventfold.kafka.client} is in {@code io.eventfold.kafka}. */
    static final class Modules {

        private Modules() {
        }

        static String of(String packageName) {
            String[] segments = packageName.split("\\.");
            return segments.length < 3 ? packageName : String.join(".", segments[0], segments[1], segments[2]);
        }

        static boolean isInternal(String packageName) {
            return packageName.equals("internal") || packageName.contains(".internal.") || packageName.endsWith(".internal");
        }
    }
}
