package io.realtimegateway.testing;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured against the management interface of the app under {@code @QuarkusTest} ({@code /q/health/*},
 * {@code /q/metrics}, the API docs). {@code RestAssured.given()} targets the public port, which serves none of them.
 */
public final class Management {

    private Management() {
    }

    /** The management interface's base URL (its test port is random: {@code quarkus.management.test-port=0}). */
    public static URI uri() {
        return URI.create(ConfigProvider.getConfig().getValue("test.management.url", String.class));
    }

    public static int port() {
        return uri().getPort();
    }

    public static RequestSpecification given() {
        URI uri = uri();
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort());
    }
}
