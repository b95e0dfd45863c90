package io.realtimegateway.http;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import io.realtimegateway.config.ZeroAllowed;

/** Limits of the gateway's HTTP servers (public and management port) and of its HTTP API ({@code /api/*}). */
@ConfigMapping(prefix = "gateway.http")
public interface HttpConfig {

    /** Largest request body the token and ticket endpoints read, in bytes; larger ones get 413 problem+json. From {@code GATEWAY_HTTP_MAX_BODY_BYTES}. */
    @WithDefault("65536")
    int maxBodyBytes();

    /**
     * Time from a connection's accept (or from the first byte of a later keep-alive request) until the request's headers are
     * complete; a connection still sending its headers then is closed without an answer. From {@code GATEWAY_HTTP_HEADER_TIMEOUT}.
     */
    @WithDefault("10s")
    Duration headerTimeout();

    /**
     * A keep-alive HTTP connection with no request in progress is closed after this long. Upgraded WebSockets are not
     * HTTP connections any more: relay sessions follow {@code gateway.realtime.idle-timeout}. From {@code GATEWAY_HTTP_IDLE_TIMEOUT}.
     */
    @WithDefault("60s")
    Duration idleTimeout();

    /**
     * Open HTTP connections one client address may hold (upgraded WebSockets are not counted); a connection over it is closed
     * at accept, before any byte is read. 0 = no limit. Behind a proxy that does not keep client addresses every client
     * shares the proxy's address. From {@code GATEWAY_HTTP_MAX_CONNECTIONS_PER_ADDRESS}.
     */
    @WithDefault("256")
    @ZeroAllowed
    int maxConnectionsPerAddress();
}
