package io.realtimegateway.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;

import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void chainRootAndFind() {
        ConnectException refused = new ConnectException("refused");
        IOException io = new IOException("io", refused);
        RuntimeException outer = new RuntimeException("outer", io);
        assertThat(Causes.chain(outer)).containsExactly(outer, io, refused);
        assertThat(Causes.root(outer)).isSameAs(refused);
        assertThat(Causes.root(refused)).isSameAs(refused);
        assertThat(Causes.find(outer, IOException.class)).containsSame(io);
        assertThat(Causes.find(outer, IllegalStateException.class)).isEmpty();
    }

    @Test
    void aLoopingChainEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertThat(Causes.chain(b)).containsExactly(b, a);
        assertThat(Causes.root(b)).isSameAs(a);
    }
}
