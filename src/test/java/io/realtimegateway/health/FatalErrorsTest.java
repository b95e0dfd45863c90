package io.realtimegateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.handler.codec.DecoderException;

/** {@link FatalErrors}: an OutOfMemoryError is found however Netty or Vert.x wrapped it; nothing else is fatal. */
class FatalErrorsTest {

    @Test
    void anOutOfMemoryErrorIsFoundInTheCauseChain() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertThat(FatalErrors.outOfMemory(oom)).isSameAs(oom);
        assertThat(FatalErrors.outOfMemory(new DecoderException(new IllegalStateException(oom)))).isSameAs(oom);
    }

    @Test
    void otherFailuresAreNotFatal() {
        assertThat(FatalErrors.outOfMemory(new DecoderException("bad frame"))).isNull();
        assertThat(FatalErrors.outOfMemory(new StackOverflowError())).isNull();
        assertThat(FatalErrors.outOfMemory(null)).isNull();
        FatalErrors.check(new IllegalStateException("not fatal")); // returns
    }
}
