package io.eventfold.docs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds {@code docs/getting-started.md} as a reader would: every code block under a
 * {@code <!-- file: PATH -->} comment becomes that file of a new Maven project, which is then
 * built with {@code mvn test} against this build's Eventfold jars, once on the build's JUnit 5
 * and once on JUnit 6.
 *
 * <p>Markers the page may use, each on the line before a fenced code block:
 * <ul>
 *   <li>{@code <!-- file: PATH -->}: the block is the file {@code PATH} of the project;</li>
 *   <li>{@code <!-- into: pom.xml dependencies -->}: the block is added to the {@code <dependencies>}
 *       of the project's {@code pom.xml}.</li>
 * </ul>
 *
 * <p>The Eventfold jars and poms of this build are copied into a private local repository under
 * {@code target/getting-started/repository}; the page's build uses it as its local repository
 * and the developer's local repository as a read-only tail ({@code maven.repo.local.tail}), so
 * third-party artifacts are not copied and nothing is written to the developer's repository.
 */
class GettingStartedPageIT {

    private static final Path ROOT = Path.of(property("eventfold.root")).toAbsolutePath().normalize();
    private static final Path PAGE = ROOT.resolve("docs/getting-started.md");
    private static final String VERSION = property("eventfold.version");
    private static final Path WORK = Path.of(property("eventfold.workDir")).toAbsolutePath().normalize();
    private static final Path REPOSITORY = WORK.resolve("repository");
    private static final String GROUP = "io.eventfold";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private static final Pattern MARKER = Pattern.compile(
            "^<!--\\s*(file|into):\\s*(\\S+(?:\\s+dependencies)?)\\s*-->\\s*$");
    private static final Pattern SUMMARY = Pattern.compile(
            "Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern TEST_ANNOTATION = Pattern.compile("@Test\\b");

    private static List<Block> blocks;
    private static List<String> installed;

    /** A code block of the page and what its marker says. */
    record Block(String kind, String target, String content, int line, int firstContentLine) {

        boolean isFile() {
            return kind.equals("file");
        }
    }

    @BeforeAll
    static void readPageAndInstallThisBuild() throws IOException {
        blocks = parse(PAGE);
        installed = new ArrayList<>();
        install();
        System.out.println("[getting-started] installed into " + REPOSITORY + ": " + String.join(", ", installed));
        for (Block block : blocks) {
            System.out.println("[getting-started] line " + block.line() + ": " + block.kind() + " " + block.target());
        }
    }

    @Test
    void pageDescribesAWholeProject() {
        assertTrue(blocks.stream().anyMatch(b -> b.isFile() && b.target().equals("pom.xml")),
                "the page has no block marked <!-- file: pom.xml -->");
        assertTrue(expectedTests() > 0, "the page has no @Test in a block marked as a file under src/test/java");
        for (Block block : blocks) {
            if (block.kind().equals("into")) {
                assertEquals("pom.xml dependencies", block.target(),
                        "line " + block.line() + ": only 'into: pom.xml dependencies' is supported");
            }
        }
    }

    /** The page says so: a user's JUnit version is the only one in their build. */
    @Test
    void eventfoldBringsNoJUnitOfItsOwn() throws IOException {
        for (String artifactId : installed) {
            Path pom = REPOSITORY.resolve(GROUP.replace('.', '/')).resolve(artifactId).resolve(VERSION)
                    .resolve(artifactId + "-" + VERSION + ".pom");
            for (Element dependency : children(child(read(pom), "dependencies"), "dependency")) {
                String groupId = text(dependency, "groupId");
                String scope = text(dependency, "scope");
                if (groupId.startsWith("org.junit") && !"test".equals(scope) && !"provided".equals(scope)) {
                    fail(artifactId + " passes " + groupId + ":" + text(dependency, "artifactId")
                            + " on to its users (scope " + (scope == null ? "compile" : scope) + "):"
                            + " make it provided, so the user's JUnit 5 or 6 is the only one");
                }
            }
        }
    }

    @Test
    void buildsAndPassesOnJUnit5() throws Exception {
        buildPage(property("junit5.version"));
    }

    @Test
    void buildsAndPassesOnJUnit6() throws Exception {
        buildPage(property("junit6.version"));
    }

    private static void buildPage(String junitVersion) throws IOException, InterruptedException {
        Path project = WORK.resolve("junit-" + junitVersion);
        writeProject(project);
        int expected = expectedTests();

        Path log = project.resolve("build.log");
        List<String> command = new ArrayList<>(List.of(
                maven().toString(), "--batch-mode", "--no-transfer-progress",
                "-Dmaven.repo.local=" + REPOSITORY,
                "-Dmaven.repo.local.tail=" + Path.of(property("maven.localRepository")).toAbsolutePath(),
                "-Deventfold.version=" + VERSION,
                "-Djunit.version=" + junitVersion));
        if (Boolean.parseBoolean(System.getProperty("maven.offline", "false"))) {
            command.add("--offline");
        }
        command.add("test");

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("MAVEN_ARGS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Instant start = Instant.now();
        Process process = builder.start();
        if (!process.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail("the page's build on JUnit " + junitVersion + " took over " + BUILD_TIMEOUT + "\n" + tail(log));
        }
        long seconds = Duration.between(start, Instant.now()).toSeconds();
        String output = Files.readString(log);

        if (process.exitValue() != 0 || !output.contains("BUILD SUCCESS")) {
            fail("the page's build failed on JUnit " + junitVersion + " (exit " + process.exitValue() + ", "
                    + project + "):\n" + tail(log) + pageLines(project, output));
        }
        Matcher summary = SUMMARY.matcher(output);
        String last = null;
        while (summary.find()) {
            last = summary.group();
        }
        if (last == null) {
            fail("no Surefire summary in the page's build on JUnit " + junitVersion + ":\n" + tail(log));
        }
        Matcher counts = SUMMARY.matcher(last);
        assertTrue(counts.find());
        assertEquals(expected, Integer.parseInt(counts.group(1)),
                "tests run on JUnit " + junitVersion + ", the page has " + expected + " @Test\n" + tail(log));
        assertEquals("0 0 0", counts.group(2) + " " + counts.group(3) + " " + counts.group(4),
                "failures, errors and skipped on JUnit " + junitVersion + "\n" + tail(log));
        assertOnlyJUnit(project, junitVersion);

        System.out.println("[getting-started, JUnit " + junitVersion + "] " + last.trim()
                + " (the page has " + expected + " @Test; " + seconds + " s)");
    }

    /** The tests ran on the JUnit asked for, and on no other: no JUnit comes in through Eventfold's modules. */
    private static void assertOnlyJUnit(Path project, String junitVersion) throws IOException {
        Path reports = project.resolve("target/surefire-reports");
        Set<String> jupiterApis = new TreeSet<>();
        try (Stream<Path> files = Files.list(reports)) {
            for (Path report : files.filter(f -> f.getFileName().toString().endsWith(".xml")).toList()) {
                Matcher jar = Pattern.compile("junit-jupiter-api-([^/\\\\:;]+?)\\.jar").matcher(Files.readString(report));
                while (jar.find()) {
                    jupiterApis.add(jar.group(1));
                }
            }
        }
        assertEquals(Set.of(junitVersion), jupiterApis,
                "junit-jupiter-api versions on the page's test class path on JUnit " + junitVersion);
    }

    /** Where the compiler's errors are on the page. */
    private static String pageLines(Path project, String output) {
        Set<String> lines = new TreeSet<>();
        Matcher error = Pattern.compile(Pattern.quote(project.toString()) + "[/\\\\](\\S+?\\.java):\\[(\\d+),\\d+]")
                .matcher(output);
        while (error.find()) {
            String target = error.group(1).replace('\\', '/');
            int line = Integer.parseInt(error.group(2));
            blocks.stream()
                    .filter(b -> b.isFile() && b.target().equals(target))
                    .forEach(b -> lines.add(target + ":" + line + " is " + PAGE.getFileName() + " line "
                            + (b.firstContentLine() + line - 1)));
        }
        return lines.isEmpty() ? "" : "\n\nOn the page:\n  " + String.join("\n  ", lines);
    }

    private static int expectedTests() {
        return blocks.stream()
                .filter(b -> b.isFile() && b.target().startsWith("src/test/java/"))
                .mapToInt(b -> (int) TEST_ANNOTATION.matcher(b.content()).results().count())
                .sum();
    }

    private static void writeProject(Path project) throws IOException {
        deleteRecursively(project);
        // Maven looks upwards for .mvn to find the project's root: stop it here, not at Eventfold's.
        Files.createDirectories(project.resolve(".mvn"));
        String pom = null;
        for (Block block : blocks) {
            if (!block.isFile()) {
                continue;
            }
            Path file = project.resolve(block.target()).normalize();
            if (!file.startsWith(project)) {
                fail("line " + block.line() + ": " + block.target() + " is outside the project");
            }
            if (Files.exists(file)) {
                fail("line " + block.line() + ": " + block.target() + " is on the page twice");
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, block.content());
            if (block.target().equals("pom.xml")) {
                pom = block.content();
            }
        }
        if (pom == null) {
            fail("the page has no block marked <!-- file: pom.xml -->");
        }
        for (Block block : blocks) {
            if (block.kind().equals("into")) {
                int end = pom.lastIndexOf("</dependencies>");
                if (end < 0) {
                    fail("line " + block.line() + ": the page's pom.xml has no <dependencies>");
                }
                for (Matcher artifact = Pattern.compile("<groupId>io\\.eventfold</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                        .matcher(block.content()); artifact.find(); ) {
                    if (!installed.contains(artifact.group(1))) {
                        fail("line " + block.line() + ": " + artifact.group(1) + " is not a module of this build,"
                                + " or was not built; installed: " + installed);
                    }
                }
                int lineStart = pom.lastIndexOf('\n', end) + 1;
                pom = pom.substring(0, lineStart) + indent(block.content(), "    ") + pom.substring(lineStart);
            }
        }
        Files.writeString(project.resolve("pom.xml"), pom);
    }

    // ---------------------------------------------------------------------------------------------
    // The page

    static List<Block> parse(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<Block> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.startsWith("<!--") || !(line.contains("file:") || line.contains("into:"))) {
                continue;
            }
            Matcher marker = MARKER.matcher(line);
            if (!marker.matches()) {
                fail(page.getFileName() + " line " + (i + 1) + ": a marker must read <!-- file: PATH -->"
                        + " or <!-- into: pom.xml dependencies -->: " + line);
            }
            int fence = i + 1;
            while (fence < lines.size() && lines.get(fence).isBlank()) {
                fence++;
            }
            if (fence >= lines.size() || !lines.get(fence).startsWith("```")) {
                fail(page.getFileName() + " line " + (i + 1) + ": the marker is not followed by a code block");
            }
            StringBuilder content = new StringBuilder();
            int end = fence + 1;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                content.append(lines.get(end)).append('\n');
                end++;
            }
            if (end >= lines.size()) {
                fail(page.getFileName() + " line " + (fence + 1) + ": the code block is not closed");
            }
            result.add(new Block(marker.group(1), marker.group(2), content.toString(), i + 1, fence + 2));
            i = end;
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // This build's artifacts

    /**
     * Copies the BOM, the parent pom and every module the BOM lists that this build has into the
     * private repository, in the layout {@code mvn install} writes.
     */
    private static void install() throws IOException {
        deleteRecursively(REPOSITORY.resolve(GROUP.replace('.', '/')));
        Map<String, Path> modules = reactorModules(ROOT, new LinkedHashMap<>());

        Path bom = modules.get("eventfold-bom");
        if (bom == null) {
            fail("eventfold-bom is not a module of " + ROOT);
        }
        Element bomPom = read(bom.resolve("pom.xml"));
        assertEquals(VERSION, text(bomPom, "version"),
                "eventfold-bom has its own version (it has no parent): make it the build's version");
        installPom("eventfold-bom", bom.resolve("pom.xml"));

        Set<String> parents = new TreeSet<>();
        for (Element dependency : children(child(child(bomPom, "dependencyManagement"), "dependencies"), "dependency")) {
            String groupId = text(dependency, "groupId");
            String artifactId = text(dependency, "artifactId");
            assertEquals(GROUP, groupId, "eventfold-bom manages " + groupId + ":" + artifactId);
            Path module = modules.get(artifactId);
            if (module == null) {
                System.out.println("[getting-started] eventfold-bom lists " + artifactId
                        + ", which is not a module of this build: not installed");
                continue;
            }
            Path jar = module.resolve("target/" + artifactId + "-" + VERSION + ".jar");
            if (!Files.isRegularFile(jar)) {
                fail(jar + " is missing: package " + artifactId + " before this test"
                        + " (./mvnw -pl docs-check -am verify)");
            }
            installPom(artifactId, module.resolve("pom.xml"));
            installArtifact(artifactId, jar, "jar");
            parents.addAll(ancestors(module, modules));
        }
        for (String parent : parents) {
            installPom(parent, modules.get(parent).resolve("pom.xml"));
        }
    }

    /** The io.eventfold poms a module inherits from, all of which a user's build must resolve. */
    private static Set<String> ancestors(Path module, Map<String, Path> modules) throws IOException {
        Set<String> result = new TreeSet<>();
        Element parent = child(read(module.resolve("pom.xml")), "parent");
        while (parent != null && GROUP.equals(text(parent, "groupId"))) {
            String artifactId = text(parent, "artifactId");
            Path dir = modules.get(artifactId);
            if (dir == null) {
                fail(module + " inherits " + artifactId + ", which is not a module of this build");
            }
            result.add(artifactId);
            parent = child(read(dir.resolve("pom.xml")), "parent");
        }
        return result;
    }

    /** Every module of the build by artifactId, the root included, from the root's {@code <modules>}. */
    private static Map<String, Path> reactorModules(Path dir, Map<String, Path> into) throws IOException {
        Element pom = read(dir.resolve("pom.xml"));
        into.put(text(pom, "artifactId"), dir);
        Element modules = child(pom, "modules");
        if (modules != null) {
            for (Element module : children(modules, "module")) {
                reactorModules(dir.resolve(module.getTextContent().strip()).normalize(), into);
            }
        }
        return into;
    }

    private static void installPom(String artifactId, Path pom) throws IOException {
        installArtifact(artifactId, pom, "pom");
    }

    private static void installArtifact(String artifactId, Path file, String extension) throws IOException {
        Path dir = REPOSITORY.resolve(GROUP.replace('.', '/')).resolve(artifactId).resolve(VERSION);
        Files.createDirectories(dir);
        Files.copy(file, dir.resolve(artifactId + "-" + VERSION + "." + extension), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("maven-metadata-local.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata modelVersion="1.1.0">
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <versioning>
                    <snapshot>
                      <localCopy>true</localCopy>
                    </snapshot>
                  </versioning>
                </metadata>
                """.formatted(GROUP, artifactId, VERSION));
        if (!installed.contains(artifactId)) {
            installed.add(artifactId);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static Path maven() {
        Path home = Path.of(property("maven.home"));
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        Path mvn = home.resolve(windows ? "bin/mvn.cmd" : "bin/mvn");
        if (!Files.isRegularFile(mvn)) {
            fail("no Maven at " + mvn);
        }
        return mvn;
    }

    private static Element read(Path pom) throws IOException {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
            return document.getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("cannot read " + pom, e);
        }
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        if (parent == null) {
            return result;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                result.add(element);
            }
        }
        return result;
    }

    private static String text(Element parent, String name) {
        Element element = child(parent, name);
        return element == null ? null : element.getTextContent().strip();
    }

    private static String indent(String text, String prefix) {
        return text.lines().map(line -> line.isEmpty() ? line : prefix + line).collect(Collectors.joining("\n", "", "\n"));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 120), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set: run this test through Maven (docs-check/pom.xml)");
        }
        return value;
    }
}
