package io.portcullis.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gate has opened, closed in the reverse order of opening: by {@code close()}, and by a start that fails
 * half way, so both paths close the same things (a listener that cannot bind leaves no writer thread, no
 * maintenance report and no port behind).
 */
final class Teardown implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

    private final Deque<Step> opened = new ArrayDeque<>();

    private record Step(String what, AutoCloseable close) {
    }

    /** Registers what was just opened; it is closed before everything opened earlier. */
    <T extends AutoCloseable> T opened(String what, T resource) {
        return opened(what, resource, resource);
    }

    <T> T opened(String what, T resource, AutoCloseable close) {
        opened.push(new Step(what, close));
        return resource;
    }

    /** Closes everything once, the last opened first; one that fails is logged and the rest still closed. */
    @Override
    public void close() {
        while (!opened.isEmpty()) {
            Step step = opened.pop();
            try {
                step.close().close();
            } catch (Exception e) {
                LOG.warn("closing the {} failed: {}", step.what(), e.toString());
            }
        }
    }
}
