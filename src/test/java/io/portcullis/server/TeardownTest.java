package io.portcullis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a gate opened is closed once, the last opened first, past a part that fails to close. */
class TeardownTest {
    @Test
    void closesInReverseOrderOnceAndPastAFailure() {
        List<String> closed = new ArrayList<>();
        Teardown teardown = new Teardown();
        AutoCloseable failing = () -> {
            closed.add("listener");
            throw new IllegalStateException("already closed by the peer");
        };
        teardown.opened("maintenance", part("maintenance", closed));
        teardown.opened("access log", part("access log", closed));
        teardown.opened("listener", failing);
        teardown.opened("readiness", part("readiness", closed));

        teardown.close();
        teardown.close();

        assertEquals(List.of("readiness", "listener", "access log", "maintenance"), closed);
    }

    private static AutoCloseable part(String name, List<String> closed) {
        return () -> closed.add(name);
    }
}
