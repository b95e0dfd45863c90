package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.COMPOSE;
import static io.realtimegateway.deploy.DeploymentFiles.DOCKERFILE_NATIVE;
import static io.realtimegateway.deploy.DeploymentFiles.LIVEKIT_YAML;
import static io.realtimegateway.deploy.DeploymentFiles.map;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static io.realtimegateway.deploy.DeploymentFiles.service;
import static io.realtimegateway.deploy.DeploymentFiles.strings;
import static io.realtimegateway.deploy.DeploymentFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docker-compose.yml: pinned images, the key hand-over to livekit-server, ports, gates and healthchecks. */
class DockerComposeFileTest {

    private static final Pattern UDP_RANGE = Pattern.compile("^(\\d+)-(\\d+):(\\d+)-(\\d+)/udp$");

    @Test
    void parsesWithTheFourServicesAndTheReplicasProfile() {
        Map<String, Object> services = map(yaml(COMPOSE).get("services"), "services");
        assertThat(services).containsOnlyKeys("livekit", "redis", "preflight", "gateway", "gateway-2", "lb");
        for (String name : List.of("livekit", "redis", "preflight", "gateway")) {
            assertThat(service(name)).as("%s runs without a profile", name).doesNotContainKey("profiles");
        }
    }

    @Test
    void theReplicasProfileAddsASecondGatewayInRedisModeAndALoadBalancerInFrontOfBoth() {
        Map<String, Object> second = service("gateway-2");
        Map<String, Object> first = service("gateway");
        assertThat(strings(second.get("profiles"), "gateway-2 profiles")).containsExactly("replicas");
        assertThat(second.get("image")).isEqualTo(first.get("image"));
        assertThat(second.get("build")).isEqualTo(first.get("build"));
        assertThat(envFiles(second)).as("the same .env: the same ticket secret and caller keys").containsExactly(".env");
        assertThat(map(second.get("environment"), "gateway-2 environment")).containsEntry("GATEWAY_STATE", "redis")
                .containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis:6379").containsEntry("LIVEKIT_API_URL", "http://livekit:7880");
        assertThat(second).as("reached through the load balancer only").doesNotContainKey("ports");
        assertThat(second.get("healthcheck")).isEqualTo(first.get("healthcheck"));
        assertThat(map(second.get("depends_on"), "gateway-2 depends_on")).isEqualTo(first.get("depends_on"));

        Map<String, Object> lb = service("lb");
        assertThat(strings(lb.get("profiles"), "lb profiles")).containsExactly("replicas");
        assertThat(ImageReference.problem((String) lb.get("image"))).isNull();
        assertThat(strings(lb.get("command"), "lb command")).containsSequence("--to", "gateway:8080").containsSequence("--to", "gateway-2:8080");
        assertThat(strings(lb.get("ports"), "lb ports")).containsExactly("8090:8090");
        Map<String, Object> dependsOn = map(lb.get("depends_on"), "lb depends_on");
        assertThat(dependsOn).containsOnlyKeys("gateway", "gateway-2");
        dependsOn.values().forEach(d -> assertThat(map(d, "lb dependency")).containsEntry("condition", "service_healthy"));
    }

    @Test
    void everyImageIsPinnedAndLiveKitIsV1135() {
        Map<String, Object> services = map(yaml(COMPOSE).get("services"), "services");
        services.forEach((name, definition) -> {
            Object image = map(definition, name).get("image");
            assertThat(image).as("service %s names its image", name).isInstanceOf(String.class);
            assertThat(ImageReference.problem((String) image)).as("service %s image %s", name, image).isNull();
        });
        assertThat(service("livekit").get("image")).isEqualTo("livekit/livekit-server:v1.13.5");
    }

    @Test
    void liveKitGetsTheGatewaysKeyPairInItsOwnFormat() {
        Map<String, Object> livekit = service("livekit");
        String keys = (String) map(livekit.get("environment"), "livekit environment").get("LIVEKIT_KEYS");
        // The space after the colon is what livekit-server requires ("key: secret").
        assertThat(keys).matches("(?s)\\$\\{LIVEKIT_API_KEY:\\?[^}]+\\}: \\$\\{LIVEKIT_API_SECRET:\\?[^}]+\\}(\\n.*)?");
        // livekit-server must not see the gateway's secrets (OpenAI key, ticket secret): no env_file.
        assertThat(livekit).doesNotContainKey("env_file");
    }

    @Test
    void liveKitRunsWithoutDevModeAndMountsTheSharedConfig() {
        Map<String, Object> livekit = service("livekit");
        List<String> command = strings(livekit.get("command"), "livekit command");
        assertThat(command).doesNotContain("--dev").containsSequence("--config", "/etc/livekit.yaml").contains("--node-ip");
        assertThat(strings(livekit.get("volumes"), "livekit volumes")).contains("./livekit.yaml:/etc/livekit.yaml:ro");
        assertThat(livekit.get("restart")).isEqualTo("unless-stopped");
    }

    @Test
    void liveKitPortsMatchLiveKitYaml() {
        Map<String, Object> rtc = map(yaml(LIVEKIT_YAML).get("rtc"), "livekit.yaml rtc");
        List<String> ports = strings(service("livekit").get("ports"), "livekit ports");
        assertThat(ports).contains("7880:7880/tcp", "7881:7881/tcp");
        assertThat(yaml(LIVEKIT_YAML).get("port")).isEqualTo(7880);
        assertThat(rtc.get("tcp_port")).isEqualTo(7881);

        String udp = ports.stream().filter(p -> p.endsWith("/udp")).findFirst()
                .orElseThrow(() -> new AssertionError("livekit publishes no UDP range: " + ports));
        Matcher range = UDP_RANGE.matcher(udp);
        assertThat(range.matches()).as("UDP mapping %s is host-range:container-range/udp", udp).isTrue();
        int start = Integer.parseInt(range.group(1));
        int end = Integer.parseInt(range.group(2));
        assertThat(range.group(3)).as("published 1:1").isEqualTo(range.group(1));
        assertThat(range.group(4)).as("published 1:1").isEqualTo(range.group(2));
        assertThat(rtc.get("port_range_start")).isEqualTo(start);
        assertThat(rtc.get("port_range_end")).isEqualTo(end);
        assertThat(end - start + 1).as("a small range (publishing thousands of ports stalls docker)").isBetween(10, 200);
        // Offline hosts cannot resolve their external IP; discovery is opt-in.
        assertThat(rtc.get("use_external_ip")).isEqualTo(false);
    }

    @Test
    void redisIsPinnedToSevenZeroHealthcheckedNeverEvictsAndStaysInside() {
        Map<String, Object> redis = service("redis");
        assertThat((String) redis.get("image")).startsWith("redis:7.0.");
        assertThat(strings(map(redis.get("healthcheck"), "redis healthcheck").get("test"), "redis healthcheck test"))
                .containsExactly("CMD", "redis-cli", "ping");
        assertThat(strings(redis.get("command"), "redis command")).containsSequence("--maxmemory-policy", "noeviction");
        assertThat(redis).as("only the compose network reaches Redis").doesNotContainKey("ports");
        for (String gatewayService : List.of("preflight", "gateway", "gateway-2")) {
            assertThat(map(map(service(gatewayService).get("depends_on"), gatewayService + " depends_on").get("redis"), "redis dependency"))
                    .containsEntry("condition", "service_healthy");
        }
    }

    @Test
    void liveKitHealthcheckUsesWhatItsAlpineImageHas() {
        Map<String, Object> healthcheck = map(service("livekit").get("healthcheck"), "livekit healthcheck");
        assertThat(strings(healthcheck.get("test"), "livekit healthcheck test")).containsExactly("CMD", "wget", "-q", "-O", "/dev/null",
                "http://127.0.0.1:7880/");
    }

    @Test
    void gatewayIsTheNativeImageGatedByLiveKitAndThePreflight() {
        Map<String, Object> gateway = service("gateway");
        Map<String, Object> build = map(gateway.get("build"), "gateway build");
        assertThat(build.get("dockerfile")).isEqualTo(DOCKERFILE_NATIVE.toString());
        assertThat(Files.isRegularFile(Path.of((String) build.get("dockerfile")))).isTrue();
        assertThat(envFiles(gateway)).containsExactly(".env");
        assertThat(gateway.get("restart")).isEqualTo("unless-stopped");

        Map<String, Object> dependsOn = map(gateway.get("depends_on"), "gateway depends_on");
        assertThat(map(dependsOn.get("livekit"), "livekit dependency")).containsEntry("condition", "service_healthy");
        assertThat(map(dependsOn.get("preflight"), "preflight dependency"))
                .containsEntry("condition", "service_completed_successfully");
        assertThat(strings(gateway.get("ports"), "gateway ports")).contains("8080:8080")
                .as("the management port is published on loopback only").contains("127.0.0.1:9000:9000")
                .noneMatch(p -> p.matches("(0\\.0\\.0\\.0:)?9000:9000"));
    }

    @Test
    void preflightIsTheSameImageRunningCheckOnce() {
        Map<String, Object> preflight = service("preflight");
        Map<String, Object> gateway = service("gateway");
        assertThat(preflight.get("image")).isEqualTo(gateway.get("image"));
        assertThat(preflight.get("build")).isEqualTo(gateway.get("build"));
        assertThat(preflight.get("environment")).isEqualTo(gateway.get("environment"));
        assertThat(envFiles(preflight)).containsExactly(".env");
        assertThat(strings(preflight.get("command"), "preflight command")).containsExactly("check");
        assertThat(preflight.get("restart")).isEqualTo("no");
        assertThat(map(map(preflight.get("depends_on"), "preflight depends_on").get("livekit"), "livekit dependency"))
                .containsEntry("condition", "service_healthy");
    }

    @Test
    void gatewayReachesTheServerApiInsideTheComposeNetwork() {
        Map<String, Object> environment = map(service("gateway").get("environment"), "gateway environment");
        assertThat(environment).containsEntry("LIVEKIT_API_URL", "http://livekit:7880");
        assertThat(environment).as("LIVEKIT_URL is the public URL and comes from .env").doesNotContainKey("LIVEKIT_URL");
    }

    @Test
    void gatewayHealthcheckProbesReadinessOnTheManagementPort() {
        String script = GatewayHealthcheck.script();
        assertThat(script).contains("/dev/tcp/127.0.0.1/" + GatewayHealthcheck.MANAGEMENT_PORT).contains("GET /q/health/ready ");
        assertThat(DeploymentFiles.instructionArguments(DOCKERFILE_NATIVE, "EXPOSE")).containsExactly("8080 " + GatewayHealthcheck.MANAGEMENT_PORT);
    }

    @Test
    void everyEnvNameTheGatewayReadsIsNamedInCompose() {
        String compose = read(COMPOSE);
        for (String name : DeploymentFiles.gatewayEnvNames()) {
            assertThat(compose).as("docker-compose.yml names %s", name).containsPattern("\\b" + name + "\\b");
        }
    }

    private static List<String> envFiles(Map<String, Object> service) {
        Object envFile = service.get("env_file");
        return envFile instanceof List ? strings(envFile, "env_file") : List.of(String.valueOf(envFile));
    }
}
