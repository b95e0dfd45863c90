package io.realtimegateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1/localhost, made at test time by the running JDK's keytool, for serving the
 * packaged gateway over TLS too: openai-node always connects with wss. Clients trust {@link #caFile()} (the PEM, e.g.
 * through NODE_EXTRA_CA_CERTS), so verification stays on.
 *
 * @param keyStore the PKCS12 key store the gateway serves from
 * @param password its password (a PASSWORD variable, so {@link ProdEnv} masks it)
 * @param caFile the certificate as PEM, for the client to trust
 */
public record SelfSignedTls(Path keyStore, String password, Path caFile) {

    /** Makes a fresh key pair and certificate in a new directory under target/. */
    public static SelfSignedTls generate() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Paths.get("target", "tls")), "tls-").toAbsolutePath();
            Path keyStore = dir.resolve("gateway.p12");
            Path pem = dir.resolve("gateway.pem");
            String password = UUID.randomUUID().toString();
            keytool("-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool("-exportcert", "-rfc", "-alias", "gateway", "-keystore", keyStore.toString(), "-storepass", password,
                    "-file", pem.toString());
            return new SelfSignedTls(keyStore, password, pem);
        } catch (IOException e) {
            throw new IllegalStateException("Could not create the self-signed test certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A PKCS12 trust store holding only this certificate, for a client that must trust it (its password is
     * {@link #password()}): e.g. the gateway calling a TLS upstream, through {@code javax.net.ssl.trustStore}.
     */
    public Path trustStore() {
        Path trustStore = keyStore.resolveSibling("trust.p12");
        if (!Files.exists(trustStore)) {
            try {
                keytool("-importcert", "-noprompt", "-alias", "gateway-ca", "-file", caFile.toString(),
                        "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
            } catch (IOException e) {
                throw new IllegalStateException("Could not create the test trust store: " + e.getMessage(), e);
            }
        }
        return trustStore;
    }

    /**
     * Serves TLS as an operator would configure it: Quarkus's default TLS configuration (which only the HTTP server
     * uses; the gateway's own clients set their TLS options themselves) on an ephemeral port, plain HTTP kept.
     */
    public ProdEnv applyTo(ProdEnv env) {
        return env.with("QUARKUS_TLS_KEY_STORE_P12_PATH", keyStore.toString())
                .with("QUARKUS_TLS_KEY_STORE_P12_PASSWORD", password)
                .with("QUARKUS_HTTP_SSL_PORT", "0")
                .with("QUARKUS_HTTP_INSECURE_REQUESTS", "enabled");
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
}
