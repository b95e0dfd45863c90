package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_JVM;
import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_NATIVE;
import static io.realtimegateway.deploy.DeploymentFiles.applicationPropertyDefault;
import static io.realtimegateway.deploy.DeploymentFiles.dockerInstructions;
import static io.realtimegateway.deploy.DeploymentFiles.instructionArguments;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * Both Dockerfiles, by what they must do rather than by their lines: build what the host build tests (the pom's
 * native profile, no build-time overrides), ship what that build wrote, on pinned bases that fit it (the builder's
 * glibc, the compiled Java release), on the ports the application listens on, as non-root, with {@code check}
 * reaching the application as its first argument.
 */
class DockerfileTest {

    static final String APPCDS_TRAINING = "appcds-training.sh";
    private static final Path POM = Path.of("pom.xml");
    private static final List<Path> DOCKERFILES = List.of(DOCKERFILE_NATIVE, DOCKERFILE_JVM);

    @Test
    void theNativeImageBuildsWithThePomsNativeProfileAndNoOverrides() {
        // The same build as `./mvnw verify -Dnative` tested: the profile's property switches it on, and a
        // -Dquarkus.* (or -Dgateway.*, such as the bench build's static endpoint) would make the image differ.
        assertThat(buildProperties(DOCKERFILE_NATIVE)).containsExactlyInAnyOrder("-D" + pom("//profile[id='native']/activation/property/name"),
                "-DskipTests");
    }

    @Test
    void theJvmImageBuildsThePlainJarWithNoOverrides() {
        assertThat(buildProperties(DOCKERFILE_JVM)).containsExactly("-DskipTests");
    }

    @Test
    void theNativeImageShipsTheExecutableTheNativeTierTests() {
        // The native tier runs ${project.build.directory}/${project.build.finalName}-runner; the image must copy that file.
        String tested = pom("/project/artifactId") + "-" + pom("/project/version") + "-runner";
        assertThat(pom("//profile[id='native']//systemPropertyVariables/native.image.path"))
                .isEqualTo("${project.build.directory}/${project.build.finalName}-runner");
        String source = copiedFromBuild(DOCKERFILE_NATIVE).get(0);
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + source).matches(Path.of(buildWorkdir(DOCKERFILE_NATIVE), "target", tested)))
                .as("COPY --from=build %s matches target/%s", source, tested).isTrue();
    }

    @Test
    void theJvmImageShipsTheFastJarItBuiltAndRunsItsRunner() {
        String fastJar = buildWorkdir(DOCKERFILE_JVM) + "/target/quarkus-app/";
        assertThat(copiedFromBuild(DOCKERFILE_JVM)).isNotEmpty().allMatch(source -> source.startsWith(fastJar));
        // run-java.sh starts JAVA_APP_JAR: the runner jar, copied from the fast-jar's top directory.
        String appJar = instructionArguments(DOCKERFILE_JVM, "ENV").stream().filter(e -> e.startsWith("JAVA_APP_JAR=")).findFirst().orElseThrow()
                .substring("JAVA_APP_JAR=".length()).replace("\"", "");
        assertThat(instructionArguments(DOCKERFILE_JVM, "COPY")).anyMatch(copy -> copy.contains(fastJar + "*.jar")
                && Path.of(appJar).getParent().toString().equals(Path.of(copy.substring(copy.lastIndexOf(' ') + 1)).toString()));
    }

    @Test
    void theNativeRuntimeHasTheGlibcItWasLinkedAgainst() {
        // The executable links against the builder's glibc: both stages on the same UBI major version.
        List<String> ubi = fromImages(DOCKERFILE_NATIVE).stream().map(DockerfileTest::ubiMajor).toList();
        assertThat(ubi).hasSize(2).doesNotContainNull();
        assertThat(ubi.get(1)).isEqualTo(ubi.get(0));
    }

    @Test
    void theJvmRuntimeRunsTheReleaseThePomCompilesFor() {
        String runtime = fromImages(DOCKERFILE_JVM).get(fromImages(DOCKERFILE_JVM).size() - 1);
        Matcher java = Pattern.compile("openjdk-(\\d+)-runtime").matcher(runtime);
        assertThat(java.find()).as("an OpenJDK runtime image: %s", runtime).isTrue();
        assertThat(Integer.parseInt(java.group(1))).isGreaterThanOrEqualTo(Integer.parseInt(pom("/project/properties/maven.compiler.release")));
    }

    @Test
    void baseImagesArePinned() {
        for (Path dockerfile : DOCKERFILES) {
            for (String from : fromImages(dockerfile)) {
                String image = from.split("\\s+")[0];
                assertThat(ImageReference.problem(image)).as("%s: FROM %s", dockerfile, image).isNull();
            }
        }
    }

    @Test
    void exposesThePortsTheApplicationListensOnAndRunsAsNonRoot() {
        String http = applicationPropertyDefault("quarkus.http.port");
        String management = applicationPropertyDefault("quarkus.management.port");
        for (Path dockerfile : DOCKERFILES) {
            assertThat(instructionArguments(dockerfile, "EXPOSE").stream().flatMap(e -> Arrays.stream(e.split("\\s+"))))
                    .as("%s EXPOSE", dockerfile).containsExactlyInAnyOrder(http, management);
            List<String> users = instructionArguments(dockerfile, "USER");
            assertThat(users).as("%s USER", dockerfile).isNotEmpty();
            assertThat(users.get(users.size() - 1)).as("%s final USER", dockerfile).isNotIn("root", "0", "0:0");
            // a container is reached from outside itself: not the loopback default
            assertThat(instructionArguments(dockerfile, "ENV")).as("%s listens on all interfaces", dockerfile)
                    .contains("QUARKUS_HTTP_HOST=0.0.0.0");
        }
    }

    @Test
    void checkIsPassedAsTheFirstProgramArgument() {
        // `docker compose run --rm gateway check` replaces CMD: the entrypoint is one program in exec form, with no
        // -D option (or anything else) before the arguments, and there is no CMD that `check` would silently replace.
        for (Path dockerfile : DOCKERFILES) {
            List<String> entrypoints = instructionArguments(dockerfile, "ENTRYPOINT");
            assertThat(entrypoints).as("%s ENTRYPOINT", dockerfile).hasSize(1);
            assertThat(entrypoints.get(0)).as("%s ENTRYPOINT: exec form, a single element", dockerfile).matches("\\[\"[^\",\\s]+\"]");
            assertThat(instructionArguments(dockerfile, "CMD")).as("%s CMD", dockerfile).isEmpty();
        }
    }

    @Test
    void jvmImageRunsWithTheAppCdsArchiveItsOwnTrainingRunWrote() {
        List<String> instructions = dockerInstructions(DOCKERFILE_JVM);
        int runtimeStage = lastIndexMatching(instructions, "FROM ");
        int training = lastIndexMatching(instructions, "RUN .*" + Pattern.quote(APPCDS_TRAINING) + " .*");
        assertThat(training).as("a RUN of %s", APPCDS_TRAINING).isGreaterThan(-1);
        Matcher archive = Pattern.compile(Pattern.quote(APPCDS_TRAINING) + " (/\\S+\\.jsa)$").matcher(instructions.get(training));
        assertThat(archive.find()).as("the training RUN names the archive it writes: %s", instructions.get(training)).isTrue();

        // Written by the runtime image's own JVM (an archive only maps into the JVM build that wrote it), from the
        // jars as they ship (CDS rejects jars whose size or mtime changed), and as the user the image runs as.
        assertThat(training).as("training runs in the runtime stage").isGreaterThan(runtimeStage);
        assertThat(lastIndexMatching(instructions, "COPY .*quarkus-app/.*")).as("after the jars are copied").isLessThan(training);
        assertThat(lastIndexMatching(instructions, "USER .*")).as("after the final USER").isLessThan(training);

        // Used: the last JAVA_OPTS_APPEND (what run-java.sh passes to java) maps the same file, and it is set only
        // after the training run, which starts with the JAVA_OPTS_APPEND before it (no SharedArchiveFile yet).
        int use = lastIndexMatching(instructions, "ENV JAVA_OPTS_APPEND=.*");
        assertThat(use).isGreaterThan(training);
        assertThat(instructions.get(use)).contains("-XX:SharedArchiveFile=" + archive.group(1))
                .as("keeps the options the archive was trained with").contains("${JAVA_OPTS_APPEND}");
        assertThat(instructions.subList(0, training)).noneMatch(i -> i.contains("SharedArchiveFile"));

        // The script writes the archive it is given, at exit of a JVM started the way the image starts it.
        String script = read(Path.of("src/main/docker/" + APPCDS_TRAINING));
        assertThat(script).contains("archive=${1:").contains("-XX:ArchiveClassesAtExit=$archive")
                .contains(instructionArguments(DOCKERFILE_JVM, "ENTRYPOINT").get(0).replaceAll("[\\[\\]\"]", ""));
        assertThat(instructionArguments(DOCKERFILE_JVM, "COPY")).anyMatch(c -> c.contains("src/main/docker/" + APPCDS_TRAINING));
    }

    @Test
    void jvmImageExitsOnOutOfMemory() {
        List<String> instructions = dockerInstructions(DOCKERFILE_JVM);
        int first = instructions.indexOf(instructions.stream().filter(i -> i.startsWith("ENV JAVA_OPTS_APPEND=")).findFirst().orElseThrow());
        assertThat(instructions.get(first)).contains("-XX:+ExitOnOutOfMemoryError");
        // every later JAVA_OPTS_APPEND keeps it
        assertThat(instructions.subList(first + 1, instructions.size())).filteredOn(i -> i.startsWith("ENV JAVA_OPTS_APPEND="))
                .allMatch(i -> i.contains("${JAVA_OPTS_APPEND}"));
    }

    @Test
    void nativeRuntimeImageKeepsTheShellTheHealthcheckNeeds() {
        assertThat(instructionArguments(DOCKERFILE_NATIVE, "RUN")).anyMatch(run -> run.contains("command -v bash"));
    }

    @Test
    void buildContextNeverIncludesDotEnv() {
        String dockerignore = read(Path.of(".dockerignore"));
        assertThat(dockerignore.lines().map(String::strip).filter(l -> !l.startsWith("#") && !l.isEmpty()).findFirst())
                .as(".dockerignore starts by excluding everything").contains("*");
        assertThat(dockerignore.lines().map(String::strip)).doesNotContain("!.env", "!.env*", "!*");
    }

    /** The -D options of the stage-1 {@code ./mvnw ... package} RUN (the one build the image ships). */
    private static List<String> buildProperties(Path dockerfile) {
        List<String> builds = instructionArguments(dockerfile, "RUN").stream().filter(run -> run.matches(".*\\./mvnw .*\\bpackage\\b.*")).toList();
        assertThat(builds).as("%s: one ./mvnw package", dockerfile).hasSize(1);
        return Arrays.stream(builds.get(0).split("\\s+")).filter(arg -> arg.startsWith("-D")).toList();
    }

    /** The sources of the {@code COPY --from=build} instructions. */
    private static List<String> copiedFromBuild(Path dockerfile) {
        return instructionArguments(dockerfile, "COPY").stream().filter(copy -> copy.contains("--from=build")).map(copy -> {
            List<String> args = Arrays.stream(copy.split("\\s+")).filter(arg -> !arg.startsWith("--")).toList();
            return args.get(0);
        }).toList();
    }

    /** The WORKDIR of the build stage (the first one). */
    private static String buildWorkdir(Path dockerfile) {
        return instructionArguments(dockerfile, "WORKDIR").get(0);
    }

    private static String ubiMajor(String from) {
        Matcher ubi = Pattern.compile("ubi(\\d+)").matcher(from);
        return ubi.find() ? ubi.group(1) : null;
    }

    private static String pom(String xpath) {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(POM.toFile());
            String value = XPathFactory.newInstance().newXPath().evaluate(xpath, pom).strip();
            assertThat(value).as("pom.xml %s", xpath).isNotEmpty();
            return value;
        } catch (IOException | ParserConfigurationException | SAXException | XPathExpressionException e) {
            throw new AssertionError("cannot read " + xpath + " from pom.xml", e);
        }
    }

    private static int lastIndexMatching(List<String> instructions, String regex) {
        Pattern pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (pattern.matcher(instructions.get(i)).matches()) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> fromImages(Path dockerfile) {
        return instructionArguments(dockerfile, "FROM");
    }
}
