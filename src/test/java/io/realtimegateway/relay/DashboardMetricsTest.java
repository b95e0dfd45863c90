package io.realtimegateway.relay;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusNamingConvention;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.realtimegateway.testing.Management;
import io.realtimegateway.testing.Profiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The Grafana dashboard under {@code deploy/grafana} queries only series the gateway exports: after a short workload
 * (a LiveKit token, a ticket, a relayed session with a response and its usage, a refused upgrade), every metric name
 * in every panel's PromQL is in {@code /q/metrics}. A renamed metric, or a panel typed against a name that never
 * existed, fails here instead of showing "No data" in an operator's Grafana.
 */
@QuarkusTest
@TestProfile(Profiles.Tokens.class)
class DashboardMetricsTest extends RelaySocketTestBase {

    @Inject
    MeterRegistry registry;

    static final Path DASHBOARD = Path.of("deploy/grafana/realtime-gateway.json");
    /** Metric names in PromQL: our own prefixes and the standard ones the dashboard reads. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:gateway|http_server|jvm|process)_[a-z0-9_]+)\\b");

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws IOException {
        workload();
        String exported = Management.given().get("/q/metrics").asString();
        Set<String> names = new TreeSet<>();
        Matcher types = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(exported);
        while (types.find()) {
            names.add(types.group(1));
            if (types.group(2).equals("counter")) {
                names.add(types.group(1) + "_total");
            }
            if (types.group(2).equals("histogram") || types.group(2).equals("summary")) {
                names.add(types.group(1) + "_bucket");
                names.add(types.group(1) + "_count");
                names.add(types.group(1) + "_sum");
                names.add(types.group(1) + "_max");
            }
        }
        // Quarkus tests share Micrometer's global registry across the boots of one test JVM: a gauge an earlier boot
        // registered keeps the name, and once that boot's bean is collected it drops out of the scrape. The meters
        // this application registered are the contract (one boot in production scrapes them all), so they count too.
        PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getConventionName(prometheus);
            for (String suffix : List.of("", "_total", "_count", "_sum", "_max")) {
                names.add(name + suffix);
            }
        }
        Set<String> queried = queriedMetrics();
        assertThat(queried).as("metrics the dashboard queries").isNotEmpty();
        assertThat(names).as("series in /q/metrics after the workload").containsAll(queried);
    }

    @Test
    void theDashboardIsImportableJson() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        assertThat(dashboard.getString("title")).isNotBlank();
        assertThat(dashboard.getString("uid")).matches("[a-z0-9-]{1,40}");
        JsonArray panels = dashboard.getJsonArray("panels");
        assertThat(panels).isNotEmpty();
        // The data source is a template variable, so the import asks which Prometheus to use.
        assertThat(dashboard.getJsonObject("templating").getJsonArray("list").stream().map(JsonObject.class::cast)
                .map(v -> v.getString("type"))).contains("datasource");
        for (Object p : panels) {
            JsonObject panel = (JsonObject) p;
            if (!"row".equals(panel.getString("type"))) {
                assertThat(panel.getJsonArray("targets")).as("targets of %s", panel.getString("title")).isNotEmpty();
            }
        }
    }

    static Set<String> queriedMetrics() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        Set<String> metrics = new TreeSet<>();
        for (Object p : dashboard.getJsonArray("panels")) {
            JsonArray targets = ((JsonObject) p).getJsonArray("targets", new JsonArray());
            for (Object t : targets) {
                Matcher m = METRIC.matcher(((JsonObject) t).getString("expr", ""));
                while (m.find()) {
                    metrics.add(m.group(1));
                }
            }
        }
        return metrics;
    }

    /** Enough traffic that every family the dashboard charts has a series. */
    private void workload() {
        given().contentType("application/json").body("{\"room_name\":\"dash\",\"participant_identity\":\"alice\"}")
                .post("/api/livekit/token").then().statusCode(201);
        TestSocket socket = open(ticket());
        socket.awaitEvent("session.created");
        socket.send(new JsonObject().put("type", "response.create"));
        socket.awaitEvent("response.done");
        TestSocket refused = connect("model=gpt-realtime", Map.of("Authorization", "Bearer " + ticket(), "OpenAI-Beta", "realtime=v1"), List.of());
        refused.awaitClosed();
        socket.close();
        socket.awaitClosed();
    }
}
