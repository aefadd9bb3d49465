package io.portcullis.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One helper process for a test class, in a temp dir of its own, as a JUnit 5 extension: started before the
 * class (register it before the {@link Stack} whose gate flags name it), stopped and its dir removed after.
 */
public abstract class ClassDaemon implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Path dir;
    private DaemonProcess process;

    public ClassDaemon(String name) {
        this.name = name;
    }

    /** Prepares {@code dir} and returns the process to run, not yet started. */
    public abstract DaemonProcess prepare(Path dir) throws Exception;

    /** Starts the process and waits until it serves. */
    public abstract void start();

    @Override
    public final void beforeAll(ExtensionContext context) throws Exception {
        dir = TempDirs.create(name);
        process = prepare(dir);
        start();
    }

    public final Path dir() {
        return dir;
    }

    public final DaemonProcess process() {
        return process;
    }

    public final String log() {
        return process == null ? "" : process.log();
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public final void close() {
        if (process != null) {
            process.close();
        }
        if (dir != null) {
            TempDirs.deleteQuietly(dir);
        }
    }
}
