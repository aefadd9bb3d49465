package io.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.portcullis.testing.Cmd;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The compose stack with a real Docker engine: runs scripts/compose-test (private dockerd, stand-in base
 * images from Debian packages, the real Dockerfile and docker-compose.yml, docker login/push/pull through the
 * gate). The script prints `compose-test: SKIP: reason` where it cannot run (not root, no Debian, …); that
 * becomes a skipped test with the reason. Set -Dportcullis.composeTest=false to leave it out.
 */
class ComposeStackIT {
    @Test
    void composeStackWorksWithARealDockerEngine() throws Exception {
        assumeFalse("false".equals(System.getProperty("portcullis.composeTest")),
                "skipped: -Dportcullis.composeTest=false");
        Cmd.Result r = Cmd.of("bash", "scripts/compose-test").echo().timeout(Duration.ofMinutes(30)).run();
        String skip = null;
        for (String line : r.output().split("\n")) {
            if (line.startsWith("compose-test: SKIP: ")) {
                skip = line.substring("compose-test: SKIP: ".length());
            }
        }
        assumeFalse(skip != null && r.exitCode() == 0, "skipped: " + skip);
        assertEquals(0, r.exitCode(), () -> "scripts/compose-test failed:\n" + r.describe());
    }
}
