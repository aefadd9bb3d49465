package io.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our stand-in for the OCI distribution-spec conformance suite (a Go program this build cannot fetch or build):
 * its push, pull, content discovery and content management workflows ({@link OciWorkflows}) run straight against
 * the registry and then through the gate, under access rules that allow the user everything, and must give the
 * same statuses, key headers and bodies request by request. A gate that refused, rewrote or lost anything a
 * conforming client relies on shows up as a differing line.
 */
@NeedsTools({"docker-registry", "curl", "htpasswd"})
class ConformanceIT {
    private static final String RULES = String.join("\n",
            "allow " + Users.ALICE + " pull,push,delete **",
            "allow " + Users.ALICE + " catalog",
            "");

    @RegisterExtension
    static final Stack stack = Stack.fixtureWithAccessRules("conformance", RULES);

    private static Path dir(String name) {
        try {
            return Files.createDirectories(stack.dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theWorkflowsGiveTheSameAnswersThroughTheGateAsDirectly() {
        List<String> direct = new OciWorkflows(Curl.plain(), stack.registry().url(), "plain/app", dir("plain")).run();
        List<String> gated = new OciWorkflows(stack.curl(), stack.gate().url(), "gated/app", dir("gated"),
                "-u", Users.ALICE + ":" + Users.ALICE_PW).run();

        // repository names of one length, so lengths compare too; the direct run is itself what the spec expects: pushes create, pulls find, deletes remove
        String all = String.join("\n", direct);
        assertTrue(all.contains("PUT /v2/REPO/manifests/v1 -> 201"), all);
        assertTrue(all.contains("POST /v2/REPO-mounted/blobs/uploads/?mount="), all);
        assertTrue(all.contains("GET /v2/REPO/tags/list?n=2 -> 200"), all);
        assertTrue(all.contains("DELETE /v2/REPO/manifests/sha256:"), all);
        for (int i = 0; i < Math.max(direct.size(), gated.size()); i++) {
            String expected = i < direct.size() ? direct.get(i) : "(nothing)";
            String actual = i < gated.size() ? gated.get(i) : "(nothing)";
            assertEquals(expected, actual, "request " + (i + 1) + " differs through the gate\n" + stack.logs());
        }
    }
}
