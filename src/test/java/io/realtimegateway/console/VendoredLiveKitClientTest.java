package io.realtimegateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The livekit-client the console serves ({@code console/vendor/}) is the version docs/console.md and the vendor note state,
 * the one the browser tier tests, and ships with its licence.
 */
class VendoredLiveKitClientTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = VendoredLiveKitClientTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as("%s is in the jar", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The bundle's own version: {@code LivekitClient.version}, exported as {@code e.version=X} with {@code const X="2.23.0"}. */
    static String bundledVersion(String umd) {
        Matcher export = Pattern.compile("\\be\\.version=([A-Za-z_$][\\w$]*)[,;]").matcher(umd);
        assertThat(export.find()).as("the bundle exports LivekitClient.version").isTrue();
        Matcher constant = Pattern.compile("\\bconst " + Pattern.quote(export.group(1)) + "=\"(\\d+\\.\\d+\\.\\d+)\"").matcher(umd);
        assertThat(constant.find()).as("the bundle defines its version as a constant").isTrue();
        return constant.group(1);
    }

    private static String stated(String text, String where) {
        Matcher m = Pattern.compile("livekit-client (\\d+\\.\\d+\\.\\d+)").matcher(text);
        assertThat(m.find()).as("%s names the vendored livekit-client's version", where).isTrue();
        return m.group(1);
    }

    @Test
    void theVendoredBundleIsTheVersionTheDocsState() throws IOException {
        String version = bundledVersion(resource("console/" + ConsoleAssets.LIVEKIT_CLIENT));
        assertThat(stated(Files.readString(Path.of("docs", "console.md")), "docs/console.md")).isEqualTo(version);
        assertThat(stated(resource("console/vendor/README.md"), "console/vendor/README.md")).isEqualTo(version);
        assertThat(Files.readString(Path.of("src/test/browser/package.json"))).as("the browser tier tests the same livekit-client")
                .contains("\"livekit-client\": \"" + version + "\"");
    }

    @Test
    void itsLicenceShipsBesideIt() throws IOException {
        assertThat(resource("console/vendor/livekit-client.LICENSE")).contains("Apache License", "Version 2.0, January 2004");
    }
}
