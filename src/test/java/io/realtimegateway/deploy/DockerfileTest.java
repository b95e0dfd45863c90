package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_JVM;
import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_NATIVE;
import static io.realtimegateway.deploy.DeploymentFiles.instructionArguments;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Both Dockerfiles: pinned bases, port 8080, non-root, and `check` reaching the app as its first argument. */
class DockerfileTest {

    static final String MANDREL_BUILDER = "quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25";
    static final String MICRO_IMAGE = "quay.io/quarkus/ubi9-quarkus-micro-image:2.0";
    static final String JVM_RUNTIME = "registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24";

    @Test
    void nativeBuildsWithMandrelAndRunsOnTheMicroImage() {
        assertThat(fromImages(DOCKERFILE_NATIVE)).containsExactly(MANDREL_BUILDER + " AS build", MICRO_IMAGE);
        assertThat(read(DOCKERFILE_NATIVE)).contains("-Dnative").contains("-Dquarkus.native.container-build=false");
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
    void exposes8080AndRunsAsNonRoot() {
        for (Path dockerfile : List.of(DOCKERFILE_NATIVE, DOCKERFILE_JVM)) {
            assertThat(instructionArguments(dockerfile, "EXPOSE")).as("%s EXPOSE", dockerfile).containsExactly("8080");
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

    private static List<String> fromImages(Path dockerfile) {
        return instructionArguments(dockerfile, "FROM");
    }
}
