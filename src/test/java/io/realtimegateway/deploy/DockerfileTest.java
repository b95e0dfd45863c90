package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.APPLICATION_PROPERTIES;
import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_JVM;
import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_NATIVE;
import static io.realtimegateway.deploy.DeploymentFiles.dockerInstructions;
import static io.realtimegateway.deploy.DeploymentFiles.instructionArguments;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Both Dockerfiles: pinned bases, ports 8080 (public) and 9000 (management), non-root, and `check` reaching the app as its first argument. */
class DockerfileTest {

    static final String MANDREL_BUILDER = "quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25";
    static final String MICRO_IMAGE = "quay.io/quarkus/ubi9-quarkus-micro-image:2.0";
    static final String JVM_RUNTIME = "registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24";
    static final String APPCDS_TRAINING = "appcds-training.sh";

    @Test
    void nativeBuildsWithMandrelAndRunsOnTheMicroImage() {
        assertThat(fromImages(DOCKERFILE_NATIVE)).containsExactly(MANDREL_BUILDER + " AS build", MICRO_IMAGE);
        assertThat(read(DOCKERFILE_NATIVE)).contains("./mvnw -B package -Dnative -DskipTests");
    }

    @Test
    void nativeSettingsLiveInApplicationPropertiesNotInTheDockerfile() {
        // One build for the host and the image: a -Dquarkus.* in the Dockerfile would make the image differ from
        // what `./mvnw verify -Dnative` tested.
        assertThat(dockerInstructions(DOCKERFILE_NATIVE)).noneMatch(line -> line.contains("-Dquarkus."));
        assertThat(read(APPLICATION_PROPERTIES))
                .contains("quarkus.ssl.native=true").contains("quarkus.native.resources.includes=");
    }

    @Test
    void jvmBuildsWithTheSameBuilderAndRunsOnOpenJdk17() {
        assertThat(fromImages(DOCKERFILE_JVM)).containsExactly(MANDREL_BUILDER + " AS build", JVM_RUNTIME);
    }

    @Test
    void baseImagesArePinned() {
        for (Path dockerfile : List.of(DOCKERFILE_NATIVE, DOCKERFILE_JVM)) {
            for (String from : fromImages(dockerfile)) {
                String image = from.split("\\s+")[0];
                assertThat(ImageReference.problem(image)).as("%s: FROM %s", dockerfile, image).isNull();
            }
        }
    }

    @Test
    void exposesThePublicAndManagementPortsAndRunsAsNonRoot() {
        for (Path dockerfile : List.of(DOCKERFILE_NATIVE, DOCKERFILE_JVM)) {
            assertThat(instructionArguments(dockerfile, "EXPOSE")).as("%s EXPOSE", dockerfile).containsExactly("8080 9000");
            List<String> users = instructionArguments(dockerfile, "USER");
            assertThat(users).as("%s USER", dockerfile).isNotEmpty();
            assertThat(users.get(users.size() - 1)).as("%s final USER", dockerfile).isNotIn("root", "0", "0:0");
            assertThat(instructionArguments(dockerfile, "ENV")).as("%s listens on all interfaces", dockerfile)
                    .contains("QUARKUS_HTTP_HOST=0.0.0.0");
        }
    }

    @Test
    void checkIsPassedAsTheFirstProgramArgument() {
        // `docker compose run --rm gateway check` replaces CMD: the entrypoint must not put a -D option
        // (or anything else) before it, and there must be no CMD that `check` would silently replace.
        assertThat(instructionArguments(DOCKERFILE_NATIVE, "ENTRYPOINT")).containsExactly("[\"./application\"]");
        assertThat(instructionArguments(DOCKERFILE_NATIVE, "CMD")).isEmpty();
        assertThat(instructionArguments(DOCKERFILE_JVM, "ENTRYPOINT"))
                .containsExactly("[\"/opt/jboss/container/java/run/run-java.sh\"]");
        assertThat(instructionArguments(DOCKERFILE_JVM, "CMD")).isEmpty();
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
