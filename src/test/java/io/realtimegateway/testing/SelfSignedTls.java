package io.realtimegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Serves the gateway over TLS too, with a self-signed certificate for 127.0.0.1/localhost made at test time by the
 * running JDK's keytool: openai-node always connects with wss. The PEM is published in {@link #CA_FILE_PROPERTY}
 * for clients to trust (NODE_EXTRA_CA_CERTS), so verification stays on.
 */
public class SelfSignedTlsResource implements QuarkusTestResourceLifecycleManager {

    /** System property holding the certificate (PEM) clients must trust. */
    public static final String CA_FILE_PROPERTY = "realtime-gateway.test.tls-ca";

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Paths.get("target"), "tls-");
            Path keyStore = dir.resolve("gateway.p12");
            Path pem = dir.resolve("gateway.pem");
            String password = UUID.randomUUID().toString();
            keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "gateway", "-keystore", keyStore.toString(), "-storepass", password,
                    "-file", pem.toString());
            System.setProperty(CA_FILE_PROPERTY, pem.toAbsolutePath().toString());
            // A named TLS configuration for the HTTP server only: the relay's upstream client keeps the default trust.
            return Map.of(
                    "quarkus.tls.gateway-test-https.key-store.p12.path", keyStore.toAbsolutePath().toString(),
                    "quarkus.tls.gateway-test-https.key-store.p12.password", password,
                    "quarkus.http.tls-configuration-name", "gateway-test-https",
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.http.insecure-requests", "enabled");
        } catch (IOException e) {
            throw new IllegalStateException("Could not create the self-signed test certificate: " + e.getMessage(), e);
        }
    }

    private static void keytool(String... args) throws IOException {
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): " + output);
        }
    }

    @Override
    public void stop() {
        System.clearProperty(CA_FILE_PROPERTY);
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // target/ is cleaned by the build anyway
            }
        }
    }
}
