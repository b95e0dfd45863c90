package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.COMPOSE;
import static io.realtimegateway.deploy.DeploymentFiles.ENV_EXAMPLE;
import static io.realtimegateway.deploy.DeploymentFiles.LIVEKIT_YAML;
import static io.realtimegateway.deploy.DeploymentFiles.envExample;
import static io.realtimegateway.deploy.DeploymentFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Validates docker-compose.yml with Debian's docker-compose 1.29.2 ({@code docker-compose config} needs
 * no Docker engine). .ci/run installs it; without it this test fails and names it.
 */
class ComposeConfigTest {

    @TempDir
    Path project;

    @Test
    void resolvesWithEnvExampleAndHandsTheSameKeyPairToLiveKit() throws Exception {
        copyProject(Files.readString(ENV_EXAMPLE));
        Result result = dockerComposeConfig();
        assertThat(result.exitCode()).as("docker-compose config: %s", result.stderr()).isZero();

        Map<String, Object> resolved = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(result.stdout()),
                "resolved compose file");
        Map<String, Object> services = map(resolved.get("services"), "services");
        Map<String, Object> livekit = map(services.get("livekit"), "livekit");
        Map<String, String> env = envExample();
        String keys = (String) map(livekit.get("environment"), "livekit environment").get("LIVEKIT_KEYS");
        assertThat(keys.strip()).isEqualTo(env.get("LIVEKIT_API_KEY") + ": " + env.get("LIVEKIT_API_SECRET"));

        Map<String, Object> gatewayEnv = map(map(services.get("gateway"), "gateway").get("environment"), "gateway env");
        assertThat(gatewayEnv).containsEntry("LIVEKIT_API_KEY", env.get("LIVEKIT_API_KEY"))
                .containsEntry("LIVEKIT_API_SECRET", env.get("LIVEKIT_API_SECRET"))
                .containsEntry("LIVEKIT_API_URL", "http://livekit:7880");
    }

    @Test
    void theReplicasProfileResolvesWithTwoGatewaysSharingOneEnvAndTheSecondInRedisMode() throws Exception {
        copyProject(Files.readString(ENV_EXAMPLE));
        Result result = dockerComposeConfig("--profile", "replicas");
        assertThat(result.exitCode()).as("docker-compose --profile replicas config: %s", result.stderr()).isZero();
        Map<String, Object> services = map(map(new Yaml(new SafeConstructor(new LoaderOptions())).load(result.stdout()), "resolved").get("services"),
                "services");
        assertThat(services).containsKeys("gateway", "gateway-2", "lb", "redis");
        Map<String, Object> first = map(map(services.get("gateway"), "gateway").get("environment"), "gateway env");
        Map<String, Object> second = map(map(services.get("gateway-2"), "gateway-2").get("environment"), "gateway-2 env");
        assertThat(second).containsEntry("GATEWAY_STATE", "redis").containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis:6379")
                .containsEntry("LIVEKIT_API_KEY", first.get("LIVEKIT_API_KEY")).containsEntry("LIVEKIT_API_SECRET", first.get("LIVEKIT_API_SECRET"));
        assertThat(second.get("GATEWAY_REALTIME_TICKET_SECRET")).as("one ticket secret for both").isEqualTo(first.get("GATEWAY_REALTIME_TICKET_SECRET"));
    }

    @Test
    void refusesToStartWithoutTheLiveKitSecretAndSaysWhere() throws Exception {
        String withoutSecret = Files.readString(ENV_EXAMPLE).replaceAll("(?m)^LIVEKIT_API_SECRET=.*$", "");
        copyProject(withoutSecret);
        Result result = dockerComposeConfig();
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("set LIVEKIT_API_SECRET in .env");
    }

    private void copyProject(String dotEnv) throws IOException {
        Files.copy(COMPOSE, project.resolve(COMPOSE.getFileName()));
        Files.copy(LIVEKIT_YAML, project.resolve(LIVEKIT_YAML.getFileName()));
        Files.writeString(project.resolve(".env"), dotEnv, StandardCharsets.UTF_8);
        Path docker = Files.createDirectories(project.resolve("src/main/docker"));
        Files.copy(DeploymentFiles.DOCKERFILE_NATIVE, docker.resolve("Dockerfile.native"));
    }

    private Result dockerComposeConfig(String... options) throws IOException, InterruptedException {
        Process process;
        List<String> command = new ArrayList<>(List.of("docker-compose"));
        command.addAll(List.of(options));
        command.add("config");
        try {
            process = new ProcessBuilder(command)
                    .directory(project.toFile())
                    .redirectOutput(project.resolve("config.out").toFile())
                    .redirectError(project.resolve("config.err").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("docker-compose (Debian package docker-compose 1.29.2) is required to validate "
                    + "docker-compose.yml; .ci/run installs it: apt-get install docker-compose", e);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("docker-compose config did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(project.resolve("config.out")),
                Files.readString(project.resolve("config.err")));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
