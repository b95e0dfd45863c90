package io.realtimegateway.deploy;

import static io.realtimegateway.deploy.DeploymentFiles.README;
import static io.realtimegateway.deploy.DeploymentFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.realtimegateway.testing.FakeOpenAiUpstream;
import io.realtimegateway.testing.Management;
import io.vertx.ext.web.Route;

/**
 * The README's endpoint table names every path the gateway serves, and nothing it does not. The code's side is read
 * from the running application, never listed here: the JAX-RS resources' {@code @Path}s ({@link CodeRegistries}) and
 * every route on the main router and the management router ({@link RegisteredRoutes}), Quarkus's own {@code /q/*}
 * and prefix filters ({@code /api/*}) and the root left out. The {@code /q/*} paths the table names must answer on the management
 * port. A documented path may use {@code <id>} or {@code {id}} for one segment, and end in {@code /*} for any below.
 */
@QuarkusTest
@WithTestResource(FakeOpenAiUpstream.class) // the default profile's boot is the one with the fake: one boot for all
class DocsEndpointsTest {

    /** A backticked span of the table's second column that starts with a path, optionally after its HTTP method. */
    private static final Pattern DOCUMENTED_PATH = Pattern.compile("`(?:(?:GET|POST|PUT|PATCH|DELETE) )?(/[^`\\s?\\[]*)[^`]*`");

    @Inject
    RegisteredRoutes registered;

    /** Path -> the README line of the endpoint table that documents it. */
    static Map<String, Integer> documentedPaths() {
        Map<String, Integer> paths = new LinkedHashMap<>();
        String readme = read(README);
        String table = Markdown.section(readme, "## Endpoints");
        int offset = readme.substring(0, readme.indexOf(table)).split("\n", -1).length - 1;
        String[] lines = table.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String[] cells = lines[i].split("(?<!\\\\)\\|");
            if (!lines[i].startsWith("|") || cells.length < 3) {
                continue;
            }
            Matcher m = DOCUMENTED_PATH.matcher(cells[2]);
            while (m.find()) {
                paths.putIfAbsent(normalize(m.group(1)), offset + i + 1);
            }
        }
        assertThat(paths).as("paths in the README's endpoint table").isNotEmpty();
        return paths;
    }

    /** The paths the application serves itself. */
    Set<String> servedPaths() {
        Set<String> paths = new TreeSet<>();
        CodeRegistries.jaxRsPaths().forEach(p -> paths.add(normalize(p)));
        for (Route route : registered.routes()) {
            String path = route.getPath();
            if (path == null || !route.isExactPath() || path.equals("/")) {
                continue; // filters on every path or on a prefix (connection guards, /api/* authentication), Quarkus's root
            }
            String normalized = normalize(path);
            if (!normalized.equals("/q") && !normalized.startsWith("/q/")) {
                paths.add(normalized);
            }
        }
        assertThat(paths).as("paths the application serves").isNotEmpty();
        return paths;
    }

    @Test
    void everyServedPathIsInTheEndpointTable() {
        Set<String> documented = documentedPaths().keySet();
        List<String> missing = servedPaths().stream().filter(served -> documented.stream().noneMatch(doc -> matches(doc, served))).toList();
        assertThat(missing).as("paths the gateway serves that the README's endpoint table does not name").isEmpty();
    }

    @Test
    void everyDocumentedPathIsServed() {
        Set<String> served = servedPaths();
        List<String> unknown = new ArrayList<>();
        documentedPaths().forEach((doc, line) -> {
            if (doc.startsWith("/q/")) {
                int status = Management.given().redirects().follow(false).get(doc).statusCode();
                if (status == 404) {
                    unknown.add(doc + " (README.md:" + line + ", 404 on the management port)");
                }
            } else if (served.stream().noneMatch(path -> matches(doc, path))) {
                unknown.add(doc + " (README.md:" + line + ")");
            }
        });
        assertThat(unknown).as("paths in the README's endpoint table that the gateway does not serve").isEmpty();
    }

    /** One spelling: no trailing slash, every parameter segment ({@code :id}, {@code {id}}, {@code <call id>}) as {@code *}. */
    static String normalize(String path) {
        String p = path.replaceAll("<[^>]*>", "*").replaceAll("\\{[^}]*}", "*").replaceAll("/:[^/]+", "/*");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code *} stands for one segment; a trailing {@code *} for one or more. */
    static boolean matches(String documented, String served) {
        String[] d = documented.split("/", -1);
        String[] s = served.split("/", -1);
        boolean tail = d[d.length - 1].equals("*");
        if (tail ? s.length < d.length : s.length != d.length) {
            return false;
        }
        for (int i = 0; i < d.length; i++) {
            if (!d[i].equals("*") && !d[i].equals(s[i])) {
                return false;
            }
        }
        return true;
    }
}
