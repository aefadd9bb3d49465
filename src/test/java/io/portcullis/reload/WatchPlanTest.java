package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which directories are watched and which names in them call for a check, for each way files are laid out and
 * replaced in practice: the names whose replacement changes what the watched path reads, and nothing else.
 */
class WatchPlanTest {
    @TempDir
    Path tmp;
    private Path dir;

    @BeforeEach
    void realDir() throws Exception {
        dir = tmp.toRealPath(); // watched directories are real paths
    }

    private static void assertRelevant(WatchPlan plan, Path in, String... names) {
        for (String name : names) {
            assertTrue(plan.isRelevant(in, Path.of(name)), name + " in " + in);
        }
    }

    private static void assertIgnored(WatchPlan plan, Path in, String... names) {
        for (String name : names) {
            assertFalse(plan.isRelevant(in, Path.of(name)), name + " in " + in);
        }
    }

    @Test
    void aPlainFileWatchesItsDirectoryForItsOwnNameOnly() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "alice:x\n");

        WatchPlan plan = WatchPlan.of(List.of(htpasswd));

        assertEquals(Set.of(dir), plan.directories());
        assertRelevant(plan, dir, "htpasswd");
        // an editor's temp file, the gate's log, a backup: nothing until renamed over the file
        assertIgnored(plan, dir, ".htpasswd.swp", "gate.log", "htpasswd~", "htpasswd.new");
        assertIgnored(plan, dir.getParent(), dir.getFileName().toString());
    }

    @Test
    void filesSharingADirectoryAreWatchedOnceForEachOfTheirNames() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "c");
        Path key = Files.writeString(dir.resolve("key.pem"), "k");

        WatchPlan plan = WatchPlan.of(List.of(cert, key));

        assertEquals(Set.of(dir), plan.directories());
        assertRelevant(plan, dir, "cert.pem", "key.pem");
        assertIgnored(plan, dir, "ca.crt");
    }

    @Test
    void aMissingFileStillHasItsNameWatchedSoItsCreationIsSeen() throws Exception {
        WatchPlan plan = WatchPlan.of(List.of(dir.resolve("access.conf")));

        assertEquals(Set.of(dir), plan.directories());
        assertRelevant(plan, dir, "access.conf");
    }

    @Test
    void aMissingDirectoryIsWatchedForInItsDeepestExistingAncestor() {
        WatchPlan plan = WatchPlan.of(List.of(dir.resolve("state/tokens/tokens.json")));

        assertEquals(Set.of(dir), plan.directories());
        assertRelevant(plan, dir, "state");
        assertIgnored(plan, dir, "tokens", "tokens.json", "gate.log");
    }

    @Test
    void certbotLiveLinkAndTheArchiveFileItPointsToButNotTheNextArchiveFile() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/example.com"));
        Path live = Files.createDirectories(dir.resolve("live/example.com"));
        Files.writeString(archive.resolve("fullchain1.pem"), "one");
        Path link = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/example.com/fullchain1.pem"));

        WatchPlan plan = WatchPlan.of(List.of(link));

        assertEquals(Set.of(live, archive), plan.directories());
        assertRelevant(plan, live, "fullchain.pem");
        assertRelevant(plan, archive, "fullchain1.pem");
        assertIgnored(plan, live, "privkey.pem", "README");
        assertIgnored(plan, archive, "fullchain2.pem");

        // after certbot relinks, the plan made for the next check follows the link
        Files.writeString(archive.resolve("fullchain2.pem"), "two");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("../../archive/example.com/fullchain2.pem"));
        WatchPlan next = WatchPlan.of(List.of(link));
        assertRelevant(next, archive, "fullchain2.pem");
        assertIgnored(next, archive, "fullchain1.pem");
    }

    @Test
    void kubernetesVolumeWatchesTheDataLinkAndTheFileInTheCurrentTimestampedDirectory() throws Exception {
        Path first = Files.createDirectories(dir.resolve("..2026_11_22_10_00_00.111"));
        Files.writeString(first.resolve("tls.crt"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path crt = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));

        WatchPlan plan = WatchPlan.of(List.of(crt));

        assertEquals(Set.of(dir, first), plan.directories());
        assertRelevant(plan, dir, "tls.crt", "..data");
        assertRelevant(plan, first, "tls.crt");
        // kubelet's new directory and its temporary link: nothing until ..data_tmp is renamed over ..data
        assertIgnored(plan, dir, "..data_tmp", "..2026_11_22_10_05_00.222", "tls.key");

        Path second = Files.createDirectories(dir.resolve("..2026_11_22_10_05_00.222"));
        Files.writeString(second.resolve("tls.crt"), "two");
        Files.move(Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName()), dir.resolve("..data"),
                StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of(dir, second), WatchPlan.of(List.of(crt)).directories());
    }

    @Test
    void everyHopOfAChainOfLinksIsWatchedUnderItsOwnName() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Path c = Files.createDirectories(dir.resolve("c"));
        Files.writeString(c.resolve("real.pem"), "x");
        Files.createSymbolicLink(b.resolve("middle.pem"), c.resolve("real.pem"));
        Path first = Files.createSymbolicLink(a.resolve("cert.pem"), Path.of("../b/middle.pem"));

        WatchPlan plan = WatchPlan.of(List.of(first));

        assertEquals(Set.of(a, b, c), plan.directories());
        assertRelevant(plan, a, "cert.pem");
        assertRelevant(plan, b, "middle.pem");
        assertRelevant(plan, c, "real.pem");
        assertIgnored(plan, a, "middle.pem", "real.pem");
        assertIgnored(plan, c, "cert.pem");
    }

    /** A watch event as the JDK hands them over. */
    private record Event(WatchEvent.Kind<Path> kind, Path context) implements WatchEvent<Path> {
        @Override
        public int count() {
            return 1;
        }
    }

    @Test
    void eventsCallForACheckWhenOneIsForARelevantNameOrEventsWereLost() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "alice:x\n");
        WatchPlan plan = WatchPlan.of(List.of(htpasswd));
        WatchEvent<Path> log = new Event(StandardWatchEventKinds.ENTRY_MODIFY, Path.of("gate.log"));
        WatchEvent<Path> temp = new Event(StandardWatchEventKinds.ENTRY_CREATE, Path.of("htpasswd.new"));
        WatchEvent<Path> renamedOver = new Event(StandardWatchEventKinds.ENTRY_CREATE, Path.of("htpasswd"));
        WatchEvent<Object> overflow = new WatchEvent<>() {
            @Override
            public Kind<Object> kind() {
                return StandardWatchEventKinds.OVERFLOW;
            }

            @Override
            public int count() {
                return 513;
            }

            @Override
            public Object context() {
                return null; // as the JDK gives it
            }
        };

        assertFalse(plan.callsForCheck(dir, List.of(log, temp, log)));
        assertTrue(plan.callsForCheck(dir, List.of(log, temp, renamedOver, log)));
        assertTrue(plan.callsForCheck(dir, List.of(log, overflow)), "dropped events may have held the change");
        assertFalse(plan.callsForCheck(dir.resolve("elsewhere"), List.of(renamedOver)), "a directory no longer planned");
    }

    @Test
    void aLinkLoopEndsTheChainInsteadOfLoopingForever() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        Files.createSymbolicLink(one, two.getFileName());
        Files.createSymbolicLink(two, one.getFileName());

        WatchPlan plan = WatchPlan.of(List.of(one));

        assertEquals(Set.of(dir), plan.directories());
        assertRelevant(plan, dir, "one", "two");
    }
}
