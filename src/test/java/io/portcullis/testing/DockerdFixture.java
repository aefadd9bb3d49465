package io.portcullis.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@link Dockerd} as a JUnit 5 extension: {@code @RegisterExtension static final DockerdFixture dockerd = new
 * DockerdFixture();} starts a private dockerd before the class's tests and stops it after, without the
 * {@code @BeforeAll}/{@code @AfterAll} pair each docker test class otherwise repeats.
 */
public final class DockerdFixture implements BeforeAllCallback, AfterAllCallback {
    private Dockerd dockerd;

    @Override
    public void beforeAll(ExtensionContext context) {
        dockerd = Dockerd.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    public Cmd docker(String... args) {
        return dockerd.docker(args);
    }

    public String log() {
        return dockerd == null ? "" : dockerd.log();
    }
}
