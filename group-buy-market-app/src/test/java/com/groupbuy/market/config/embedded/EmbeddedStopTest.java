package com.groupbuy.market.config.embedded;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.matches;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.io.IOException;
import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

/** The stop of the default profile's embedded servers, one line of the log a server. */
class EmbeddedStopTest {

    /** The operator reads in the log that each server stopped, and when one did not stop cleanly. */
    @Test
    void eachStopIsLoggedAndAFailureIsAWarning() {
        Log log = mock(Log.class);

        EmbeddedStop.logged("embedded Redis", () -> {}, log);
        EmbeddedStop.logged(
                "embedded MariaDB",
                () -> {
                    throw new IOException("killed");
                },
                log);

        verify(log).info(matches("embedded Redis stopped in [0-9]+ ms"));
        verify(log).warn(matches("embedded MariaDB did not stop cleanly \\([0-9]+ ms\\)"), any(IOException.class));
        verifyNoMoreInteractions(log);
    }
}
