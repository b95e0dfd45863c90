package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.KUBERNETES;
import static io.realtimegateway.deploy.DeploymentFiles.KUBERNETES_REDIS;
import static io.realtimegateway.deploy.DeploymentFiles.applicationPropertyDefault;
import static io.realtimegateway.deploy.DeploymentFiles.yamlDocuments;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.realtimegateway.health.ShutdownConfig;
import io.realtimegateway.realtime.RealtimeConfig;
import io.smallrye.config.WithDefault;

/**
 * The manifests quarkus-kubernetes generates at package time (failsafe: they exist only after {@code package}),
 * decoded strictly into the Kubernetes API types (an unknown or misspelt field fails, where the API server would
 * drop it silently), then held against the gateway's own configuration: ports, probe paths, the drain, the buffer budget.
 */
class KubernetesManifestsIT {

    private static final String NAME = "realtime-gateway";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What never goes into a manifest as a literal value: they come from the Secret. */
    private static final List<String> SECRET_ENV = List.of("LIVEKIT_API_KEY", "LIVEKIT_API_SECRET", "LIVEKIT_KEYS",
            "OPENAI_API_KEY", "GATEWAY_AUTH_API_KEYS", "GATEWAY_AUTH_JWT_SECRET", "GATEWAY_REALTIME_TICKET_SECRET",
            "GATEWAY_ADMIN_API_KEYS", "QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_PASSWORD");

    /** The generated set, one object per kind. */
    private record Manifests(Deployment deployment, Service service, PodDisruptionBudget budget) {
    }

    @Test
    void memoryModeSetMatchesTheConfiguration() {
        Manifests manifests = decode(KUBERNETES);
        assertMatchesConfiguration(manifests);
        assertThat(manifests.deployment().getSpec().getReplicas())
                .as("memory mode is one replica; no replicas field, so kubectl apply keeps a manual scale").isIn(null, 1);
        assertThat(env(container(manifests.deployment()))).doesNotContainKey("GATEWAY_STATE");
    }

    @Test
    void redisModeSetMatchesTheConfiguration() {
        Assumptions.assumeTrue(Files.isRegularFile(KUBERNETES_REDIS), KUBERNETES_REDIS + " not generated: run "
                + "./mvnw package -DskipTests -Dquarkus.profile=redis before verify (.ci/run does)");
        Manifests manifests = decode(KUBERNETES_REDIS);
        assertMatchesConfiguration(manifests);
        assertThat(manifests.deployment().getSpec().getReplicas()).as("redis mode runs replicas").isGreaterThanOrEqualTo(2);
        assertThat(env(container(manifests.deployment()))).containsEntry("GATEWAY_STATE", "redis");
    }

    @Test
    void decodingIsStrict() {
        // The guard of every test above: a misspelt field is an error here, not a field the API server drops.
        Map<String, Object> deployment = yamlDocuments(KUBERNETES).stream()
                .filter(document -> "Deployment".equals(document.get("kind"))).findFirst().orElseThrow();
        Map<String, Object> misspelt = new LinkedHashMap<>(deployment);
        misspelt.put("spec", Map.of("terminationGracePeriodSecond", 30));
        assertThatThrownBy(() -> strict(misspelt, Deployment.class, "Deployment"))
                .hasMessageContaining("terminationGracePeriodSecond");
    }

    private static void assertMatchesConfiguration(Manifests manifests) {
        int httpPort = Integer.parseInt(applicationPropertyDefault("quarkus.http.port"));
        int managementPort = Integer.parseInt(applicationPropertyDefault("quarkus.management.port"));
        Deployment deployment = manifests.deployment();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = container(deployment);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .as("the selector is immutable: no version in it, or the next release cannot be applied")
                .doesNotContainKey("app.kubernetes.io/version");
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        assertThat(ports(container)).containsEntry("http", httpPort).containsEntry("management", managementPort);
        assertProbe("liveness", container.getLivenessProbe(), "/q/health/live", managementPort);
        assertProbe("readiness", container.getReadinessProbe(), "/q/health/ready", managementPort);
        assertProbe("startup", container.getStartupProbe(), "/q/health/started", managementPort);

        long drain = Duration.parse("PT" + withDefault(ShutdownConfig.class, "drain")).toSeconds();
        long preStop = container.getLifecycle().getPreStop().getSleep().getSeconds();
        assertThat(pod.getTerminationGracePeriodSeconds())
                .as("terminationGracePeriodSeconds outlasts the preStop pause (%d s) and GATEWAY_SHUTDOWN_DRAIN (%d s)", preStop, drain)
                .isGreaterThan(preStop + drain);

        assertThat(container.getEnvFrom()).extracting(EnvFromSource::getSecretRef).isNotNull()
                .anySatisfy(secret -> assertThat(secret.getName()).isEqualTo(NAME));
        assertThat(env(container).keySet()).as("credentials come from the Secret only").doesNotContainAnyElementsOf(SECRET_ENV);

        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        BigDecimal limit = Quantity.getAmountInBytes(limits.get("memory"));
        assertThat(Quantity.getAmountInBytes(requests.get("memory"))).isLessThanOrEqualTo(limit);
        // run-java.sh gives the heap JAVA_MAX_MEM_RATIO % of the limit: it must hold the relay's whole buffer budget.
        BigDecimal heap = limit.multiply(new BigDecimal(env(container).get("JAVA_MAX_MEM_RATIO"))).divide(BigDecimal.valueOf(100));
        assertThat(heap).as("heap vs gateway.realtime.max-buffered-bytes")
                .isGreaterThan(new BigDecimal(withDefault(RealtimeConfig.class, "maxBufferedBytes")));

        if (Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
            // The kubelet can only verify a numeric USER; a name makes every pod fail to start.
            for (Path dockerfile : List.of(DeploymentFiles.DOCKERFILE_JVM, DeploymentFiles.DOCKERFILE_NATIVE)) {
                List<String> users = DeploymentFiles.instructionArguments(dockerfile, "USER");
                assertThat(users.get(users.size() - 1)).as("%s's final USER, under runAsNonRoot", dockerfile)
                        .matches("[1-9][0-9]*");
            }
        }

        Service service = manifests.service();
        assertThat(service.getMetadata().getName()).isEqualTo(NAME);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).extracting(port -> port.getTargetPort().getIntVal())
                .as("the Service exposes the public API only, never the management port").containsExactly(httpPort);
        assertThat(service.getSpec().getPorts()).extracting(ServicePort::getName).containsExactly("http");

        PodDisruptionBudget budget = manifests.budget();
        assertThat(budget.getMetadata().getName()).isEqualTo(NAME);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal())
                .as("one pod may go at a time, so a single replica never blocks a node drain").isEqualTo(1);
    }

    private static void assertProbe(String what, Probe probe, String path, int port) {
        assertThat(probe).as(what + " probe").isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).as(what + " path").isEqualTo(path);
        assertThat(get.getPort().getIntVal()).as(what + " port (the management interface)").isEqualTo(port);
        assertThat(get.getScheme()).isEqualTo("HTTP");
    }

    private static Manifests decode(Path file) {
        Deployment deployment = null;
        Service service = null;
        PodDisruptionBudget budget = null;
        List<String> kinds = new ArrayList<>();
        for (Map<String, Object> document : yamlDocuments(file)) {
            String kind = String.valueOf(document.get("kind"));
            kinds.add(kind);
            switch (kind) {
                case "Deployment" -> deployment = strict(document, Deployment.class, kind);
                case "Service" -> service = strict(document, Service.class, kind);
                case "PodDisruptionBudget" -> budget = strict(document, PodDisruptionBudget.class, kind);
                default -> throw new AssertionError(file + " holds an unexpected " + kind
                        + " (a ServiceMonitor would need the Prometheus operator in every cluster)");
            }
        }
        assertThat(kinds).as(file.toString()).containsExactlyInAnyOrder("Deployment", "Service", "PodDisruptionBudget");
        return new Manifests(deployment, service, budget);
    }

    /** Decodes into the model type and fails on any field the type does not know (fabric8 keeps those aside). */
    private static <T> T strict(Map<String, Object> document, Class<T> type, String kind) {
        T decoded = JSON.convertValue(document, type);
        List<String> unknown = new ArrayList<>();
        collectUnknown(decoded, kind, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(kind + " has fields the Kubernetes API does not define: " + unknown);
        }
        return decoded;
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectUnknown(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collectUnknown(item, path + "." + key, unknown));
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object item = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (item instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else {
                collectUnknown(item, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(container -> NAME.equals(container.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container named " + NAME));
    }

    private static Map<String, Integer> ports(Container container) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (ContainerPort port : container.getPorts()) {
            ports.put(port.getName(), port.getContainerPort());
        }
        return ports;
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue());
        }
        return env;
    }

    private static String withDefault(Class<?> mapping, String method) {
        try {
            return mapping.getMethod(method).getAnnotation(WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(mapping + " has no " + method, e);
        }
    }
}
