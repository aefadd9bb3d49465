package io.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
        Process p = new ProcessBuilder("bash", "scripts/compose-test").redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        String skip = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
                out.append(line).append('\n');
                if (line.startsWith("compose-test: SKIP: ")) skip = line.substring("compose-test: SKIP: ".length());
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroy();
            fail("scripts/compose-test did not finish within 30 minutes\n" + out);
        }
        assumeFalse(skip != null && p.exitValue() == 0, "skipped: " + skip);
        assertEquals(0, p.exitValue(), "scripts/compose-test failed:\n" + out);
    }
}
