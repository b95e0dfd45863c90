package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.map;
import static io.realtimegateway.deploy.DeploymentFiles.service;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gateway's compose healthcheck, extracted so that tests can run it for real with bash. */
final class GatewayHealthcheck {

    /** The management interface's default port (quarkus.management.port), where the healthcheck probes readiness. */
    static final int MANAGEMENT_PORT = 9000;

    private GatewayHealthcheck() {
    }

    /** The bash script of {@code services.gateway.healthcheck.test}, with compose's {@code $$} unescaped. */
    static String script() {
        List<?> test = (List<?>) map(service("gateway").get("healthcheck"), "gateway healthcheck").get("test");
        if (test == null || test.size() != 4 || !List.of("CMD", "bash", "-c").equals(test.subList(0, 3))) {
            throw new AssertionError("gateway healthcheck must be [CMD, bash, -c, <script>]: " + test);
        }
        return ((String) test.get(3)).replace("$$", "$");
    }

    /** Runs the healthcheck against 127.0.0.1:{@code port} instead of the management port 9000; returns bash's exit code. */
    static int runAgainst(int port) throws IOException, InterruptedException {
        String script = script().replace("/dev/tcp/127.0.0.1/" + MANAGEMENT_PORT, "/dev/tcp/127.0.0.1/" + port);
        Process bash;
        try {
            bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("The gateway healthcheck tests need bash (the container image runs it with bash)", e);
        }
        if (!bash.waitFor(30, TimeUnit.SECONDS)) {
            bash.destroyForcibly();
            throw new AssertionError("The healthcheck script did not finish within 30 s");
        }
        return bash.exitValue();
    }
}
