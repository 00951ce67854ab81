package com.groupbuy.market.types.exception;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void aChainIsWalkedOutermostFirstToItsRoot() {
        SQLException root = new SQLException("Deadlock found", "40001", 1213);
        IllegalStateException outer = new IllegalStateException("batch failed", new RuntimeException("tx", root));

        assertThat(Causes.of(outer)).hasSize(3).startsWith(outer).endsWith(root);
        assertThat(Causes.root(outer)).isSameAs(root);
        assertThat(Causes.rootMessage(outer)).isEqualTo("SQLException: Deadlock found");
    }

    @Test
    void aFailureWithoutCauseIsItsOwnRoot() {
        IOException alone = new IOException("reset");

        assertThat(Causes.of(alone)).containsExactly(alone);
        assertThat(Causes.rootMessage(alone)).isEqualTo("IOException: reset");
    }

    @Test
    void aChainThatLoopsBackEndsBeforeItRepeats() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        RuntimeException c = new RuntimeException("c", b);
        a.initCause(c); // a -> c -> b -> a: initCause refuses only a throwable as its own cause

        assertThat(Causes.of(a)).containsExactly(a, c, b);
        assertThat(Causes.root(a)).isSameAs(b);
        assertThat(Causes.rootMessage(c)).isEqualTo("RuntimeException: a");
    }

    @Test
    void onlyASelfCauseIsRefusedByTheJdk() {
        RuntimeException self = new RuntimeException("self");
        assertThatThrownBy(() -> self.initCause(self)).isInstanceOf(IllegalArgumentException.class);
    }
}
