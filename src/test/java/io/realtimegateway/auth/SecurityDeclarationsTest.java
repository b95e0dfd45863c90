package io.realtimegateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.junit.jupiter.api.Test;

/**
 * What the resources declare, read from the code: every method behind a caller or admin door names the role it needs
 * (a method without one would run for anybody), and the {@code Authorization} header of a request is read in one place.
 */
class SecurityDeclarationsTest {

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path SOURCES = Path.of("src", "main", "java");

    /** Every JAX-RS resource method of the product whose path is a {@link Door}. */
    private static List<Method> doorMethods() throws IOException {
        List<Method> methods = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).toList()) {
                String name = CLASSES.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, SecurityDeclarationsTest.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (base == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    if (isHttpMethod(method) && Door.of(path(base, method)) != null) {
                        methods.add(method);
                    }
                }
            }
        }
        return methods;
    }

    private static boolean isHttpMethod(Method method) {
        return method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(POST.class) || method.isAnnotationPresent(PUT.class)
                || method.isAnnotationPresent(DELETE.class) || method.isAnnotationPresent(PATCH.class);
    }

    private static String path(jakarta.ws.rs.Path base, Method method) {
        jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
        String path = base.value() + (sub == null ? "" : (sub.value().startsWith("/") ? "" : "/") + sub.value());
        return path.startsWith("/") ? path : "/" + path;
    }

    @Test
    void everyMethodBehindACallerOrAdminDoorDeclaresItsRole() throws IOException {
        List<Method> methods = doorMethods();
        assertThat(methods).as("the token, ticket, client-secret, diagnostics and usage endpoints").hasSizeGreaterThanOrEqualTo(6);
        for (Method method : methods) {
            String path = path(method.getDeclaringClass().getAnnotation(jakarta.ws.rs.Path.class), method);
            RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
            if (roles == null) {
                roles = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
            }
            assertThat(roles).as("%s (%s) declares @RolesAllowed", method, path).isNotNull();
            String expected = Door.of(path) == Door.CALLER ? Roles.CALLER : Roles.ADMIN;
            assertThat(roles.value()).as("%s (%s)", method, path).containsExactly(expected);
        }
    }

    /** Reading the header of a request: a JAX-RS parameter, a Vert.x or JAX-RS getter, or a scheme test by hand. */
    private static final Pattern READS_AUTHORIZATION = Pattern.compile(
            "@HeaderParam\\((HttpHeaders\\.AUTHORIZATION|\"Authorization\")\\)"
                    + "|getHeader\\((HttpHeaders\\.AUTHORIZATION|\"Authorization\")\\)"
                    + "|regionMatches\\(true, 0, \"(Bearer|Basic) \"");
    /** {@link Credentials} reads and parses it; the ticket doors ask it through the admission pipeline. */
    private static final Set<String> READERS = Set.of("io/realtimegateway/auth/Credentials.java");

    @Test
    void theAuthorizationHeaderOfARequestIsReadInOnePlace() throws IOException {
        List<String> readers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (READS_AUTHORIZATION.matcher(Files.readString(file)).find()) {
                    readers.add(SOURCES.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"));
                }
            }
        }
        assertThat(readers).as("classes that read a request's Authorization header").isNotEmpty().allMatch(READERS::contains);
    }

    @Test
    void credentialsAreParsedWithoutQuotingThem() {
        assertThat(Credentials.parse(null).scheme()).isEqualTo(Credentials.Scheme.NONE);
        assertThat(Credentials.parse(" ").scheme()).isEqualTo(Credentials.Scheme.NONE);
        assertThat(Credentials.parse("bearer  abc ")).isEqualTo(new Credentials(Credentials.Scheme.BEARER, "abc"));
        assertThat(Credentials.parse("Bearer ").scheme()).isEqualTo(Credentials.Scheme.OTHER);
        assertThat(Credentials.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(Credentials.bearer("Basic abc")).isNull();
        String basic = "Basic " + Base64.getEncoder().encodeToString("anyone:the-key".getBytes(StandardCharsets.UTF_8));
        assertThat(Credentials.parse(basic)).isEqualTo(new Credentials(Credentials.Scheme.BASIC, "the-key"));
        assertThat(Credentials.parse("Basic %%%").scheme()).isEqualTo(Credentials.Scheme.OTHER);
        assertThat(Credentials.parse("Digest x").scheme()).isEqualTo(Credentials.Scheme.OTHER);
        assertThat(Credentials.parse("Bearer the-key").toString()).doesNotContain("the-key");
        assertThat(Credentials.subprotocolKey(List.of("realtime", "openai-insecure-api-key.ek_1", "openai-beta.realtime-v1"))).isEqualTo("ek_1");
        assertThat(Credentials.subprotocolKey(List.of("realtime", "openai-insecure-api-key."))).isNull();
        assertThat(Credentials.bearerOrSubprotocol("Bearer ek_h", List.of("openai-insecure-api-key.ek_s"))).isEqualTo("ek_h");
        assertThat(Credentials.bearerOrSubprotocol(null, List.of("realtime", "openai-insecure-api-key.ek_s"))).isEqualTo("ek_s");
        assertThat(Credentials.bearerOrSubprotocol("Basic x", List.of("realtime"))).isNull();
    }

    @Test
    void aCredentialIsBoundToItsPaths() {
        assertThat(Door.of("/api/livekit/token")).isEqualTo(Door.CALLER);
        assertThat(Door.of("/v1/realtime/client_secrets")).isEqualTo(Door.CALLER);
        assertThat(Door.of("/api/livekit-token/test/")).isEqualTo(Door.ADMIN);
        assertThat(Door.of("/api/realtime/tickets/0b1f2c3d-0000-4000-8000-000000000000")).isEqualTo(Door.ADMIN);
        assertThat(Door.of("/console")).isEqualTo(Door.CONSOLE);
        assertThat(Door.of("/console/api/state")).isEqualTo(Door.CONSOLE);
        // the ticket doors take no caller or admin credential
        assertThat(Door.of("/v1/realtime")).isNull();
        assertThat(Door.of("/v1/realtime/calls")).isNull();
        assertThat(Door.of("/console/feed")).isNull();
        assertThat(Door.of("/q/health")).isNull();
    }
}
