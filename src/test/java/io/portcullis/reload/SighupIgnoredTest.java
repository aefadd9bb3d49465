package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.testing.Cmd;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A gate started under {@code nohup} (SIGHUP ignored by its parent) cannot reload on SIGHUP: HotSpot leaves an
 * ignored SIGHUP ignored and installs nothing. It must say so at start instead of claiming a handler it does not
 * have. Each case runs {@link Sighup#install} in a JVM of its own, started by a shell that sets the disposition.
 */
class SighupIgnoredTest {
    @Test
    void aJvmStartedWithSighupIgnoredReportsNoHandler() {
        assertEquals("no handler", probe("trap '' HUP; exec \"$0\" \"$@\""));
    }

    @Test
    void aJvmStartedNormallyInstallsTheHandler() {
        assertEquals("handler installed", probe("exec \"$0\" \"$@\""));
    }

    private static String probe(String shell) {
        String classpath = System.getProperty("java.class.path");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Cmd.of("sh", "-c", shell, java, "-cp", classpath, Probe.class.getName()).ok().stdout().strip();
    }

    /** Runs in the child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(Sighup.install(() -> { }).isPresent() ? "handler installed" : "no handler");
        }
    }
}
