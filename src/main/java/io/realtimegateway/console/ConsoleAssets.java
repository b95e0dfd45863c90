package io.realtimegateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.buffer.Buffer;

/**
 * The page's files, read once from the jar ({@code src/main/resources/console/}, not {@code META-INF/resources}: those
 * would be public on the main port). A fixed list: nothing else under {@code /console/assets/} resolves.
 */
final class ConsoleAssets {

    /** One file: its bytes, content type and strong ETag. */
    record Asset(Buffer body, String contentType, String etag) {
    }

    static final String INDEX = "index.html";
    static final String VENDOR = "vendor/";
    /**
     * livekit-client's official UMD build (version and licence in {@code console/vendor/README.md}), the same SDK
     * frontends use: the try-it join from the page tests the browser's own path to LiveKit (the public URL, TLS, ICE).
     * Inside the jar so the console works without internet; about 600 KB, so the page loads it only on that click.
     */
    static final String LIVEKIT_CLIENT = VENDOR + "livekit-client.umd.js";
    private static final Map<String, String> FILES = Map.of(
            INDEX, "text/html; charset=utf-8",
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            LIVEKIT_CLIENT, "text/javascript; charset=utf-8");

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    ConsoleAssets() {
        FILES.forEach((name, type) -> assets.put(name, load(name, type)));
    }

    /** The asset, or null for any other name. */
    Asset get(String name) {
        return assets.get(name);
    }

    private static Asset load(String name, String contentType) {
        String path = "console/" + name;
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the console asset " + path + " is missing from the build");
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(Buffer.buffer(bytes), contentType, "\"" + sha256(bytes) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
