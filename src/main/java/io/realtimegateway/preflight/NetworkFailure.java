package io.realtimegateway.preflight;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;

/**
 * Says in words why a server could not be reached. Operators read these in reports and close reasons, where an
 * exception class name reads like a crash, and an exception message may quote anything.
 */
public final class NetworkFailure {

    private NetworkFailure() {
    }

    public static String describe(Throwable failure) {
        for (Throwable t : Causes.chain(failure)) {
            if (t instanceof HttpConnectTimeoutException || t instanceof SocketTimeoutException || t instanceof HttpTimeoutException
                    || t instanceof TimeoutException || t instanceof ConnectTimeoutException) {
                return "timed out";
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed";
            }
            if (t instanceof SocketException) {
                return "connection reset";
            }
            if (t instanceof HttpClosedException) {
                return "connection closed without an answer";
            }
        }
        return "I/O error";
    }
}
