package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.testing.BusyDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ways certificates and htpasswd files get replaced in practice, each seen as a change of the watched path,
 * with the gate's timings ({@link Reloader#QUIET_PERIOD}, {@link Reloader#MAX_DELAY}). Each set-up runs twice: in
 * quiet directories, and with every directory it involves busy (a line appended to a neighbour every 2 ms, as the
 * gate's own log under traffic), where the change must still be reported within {@link Reloader#PICKUP_BOUND}.
 */
class FileWatcherTest {
    private static final Duration NOISE_INTERVAL = Duration.ofMillis(2);

    @TempDir
    Path dir;

    private record Report(Set<Path> files, long at) {
    }

    private final BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
    private final List<BusyDirectory> noise = new ArrayList<>();
    private FileWatcher watcher;

    @AfterEach
    void stop() throws InterruptedException {
        if (watcher != null) {
            watcher.close();
        }
        for (BusyDirectory busy : noise) {
            busy.close();
        }
    }

    private void watch(Path... files) throws Exception {
        watch(Reloader.QUIET_PERIOD, Reloader.MAX_DELAY, files);
    }

    private void watch(Duration quiet, Duration cap, Path... files) throws Exception {
        watcher = new FileWatcher(List.of(files), quiet, cap, changed -> reports.add(new Report(changed, System.nanoTime())));
    }

    /** When {@code busy}, makes each directory busy and waits until the noise is under way in all of them. */
    private void busyIf(boolean busy, Path... dirs) {
        if (!busy) {
            return;
        }
        for (Path d : dirs) {
            noise.add(BusyDirectory.start(d, ".noise.log", NOISE_INTERVAL));
        }
        noise.forEach(n -> n.awaitLines(50));
    }

    private Report nextReport() throws InterruptedException {
        Report report = reports.poll(20, TimeUnit.SECONDS);
        if (report == null) {
            throw new AssertionError("no change reported within 20 s");
        }
        return report;
    }

    /** The next report names {@code expected} and came within the bound of {@code changedAt} (System.nanoTime). */
    private void assertReportedInTime(Set<Path> expected, long changedAt) throws InterruptedException {
        Report report = nextReport();
        assertEquals(expected, report.files());
        Duration took = Duration.ofNanos(report.at() - changedAt);
        assertTrue(took.compareTo(Reloader.PICKUP_BOUND) <= 0, "reported after " + took.toMillis() + " ms");
        noise.forEach(BusyDirectory::assertStillWriting); // the directories were busy all along
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void inPlaceWriteIsAChange(boolean busy) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "one");
        watch(cert);
        busyIf(busy, dir);

        Files.writeString(cert, "two");

        assertReportedInTime(Set.of(abs(cert)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void editorRenamingATempFileOverTheTargetIsAChange(boolean busy) throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "alice:one\n");
        watch(htpasswd);
        busyIf(busy, dir);

        Path temp = Files.writeString(dir.resolve(".htpasswd.swp"), "alice:two\n");
        Files.move(temp, htpasswd, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertReportedInTime(Set.of(abs(htpasswd)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directories: {0}")
    @ValueSource(booleans = {false, true})
    void certbotRetargetingTheLiveSymlinkIsAChangeAndSoIsAnEditBehindTheLink(boolean busy) throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/example.com"));
        Path live = Files.createDirectories(dir.resolve("live/example.com"));
        Files.writeString(archive.resolve("fullchain1.pem"), "one");
        Path link = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/example.com/fullchain1.pem"));
        watch(link);
        busyIf(busy, archive, live);

        // certbot writes the new archive file first (not yet a change), then replaces the link
        Files.writeString(archive.resolve("fullchain2.pem"), "two");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("../../archive/example.com/fullchain2.pem"));
        assertReportedInTime(Set.of(abs(link)), System.nanoTime());

        Files.writeString(archive.resolve("fullchain2.pem"), "three");
        assertReportedInTime(Set.of(abs(link)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void kubernetesSecretVolumeDataSwapIsAChange(boolean busy) throws Exception {
        // the layout kubelet writes: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
        Path first = Files.createDirectories(dir.resolve("..2026_11_22_10_00_00.111"));
        Files.writeString(first.resolve("tls.crt"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path crt = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
        watch(crt);
        busyIf(busy, dir);

        // an update: new timestamped dir, ..data_tmp link to it renamed over ..data, old dir removed
        Path second = Files.createDirectories(dir.resolve("..2026_11_22_10_05_00.222"));
        Files.writeString(second.resolve("tls.crt"), "two");
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        long swapped = System.nanoTime();
        Files.delete(first.resolve("tls.crt"));
        Files.delete(first);
        assertReportedInTime(Set.of(abs(crt)), swapped);

        // and the next update is seen as well (the watcher follows the link to its new directory)
        Path third = Files.createDirectories(dir.resolve("..2026_11_22_10_10_00.333"));
        Files.writeString(third.resolve("tls.crt"), "three");
        Files.move(Files.createSymbolicLink(dir.resolve("..data_tmp"), third.getFileName()), dir.resolve("..data"),
                StandardCopyOption.ATOMIC_MOVE);
        assertReportedInTime(Set.of(abs(crt)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void touchesAndNeighboursAreNotChangesOnlyContentIs(boolean busy) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        watch(cert, key);
        busyIf(busy, dir);

        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(60)));
        Files.writeString(dir.resolve("ca.crt"), "a neighbour");
        Files.writeString(cert, "cert"); // rewritten with the same content
        Files.writeString(key, "new key");

        // whether these landed in one check or several, the first report names only the real change
        assertReportedInTime(Set.of(abs(key)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void aCertificateAndKeyWrittenOneAfterTheOtherAreReportedTogether(boolean busy) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        watch(Duration.ofSeconds(1), Duration.ofSeconds(1), cert, key);
        busyIf(busy, dir);

        Files.writeString(cert, "new cert");
        Files.writeString(key, "new key");

        assertReportedInTime(Set.of(abs(cert), abs(key)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void aFileThatDisappearsAndComesBackIsReportedEachTime(boolean busy) throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "one");
        watch(htpasswd);
        busyIf(busy, dir);

        Files.delete(htpasswd);
        assertReportedInTime(Set.of(abs(htpasswd)), System.nanoTime());

        Files.writeString(htpasswd, "two");
        assertReportedInTime(Set.of(abs(htpasswd)), System.nanoTime());
    }

    @ParameterizedTest(name = "busy directory: {0}")
    @ValueSource(booleans = {false, true})
    void aDirectoryRemovedAndMadeAgainIsFollowed(boolean busy) throws Exception {
        // a state directory wiped and recreated, a volume re-mounted: the file's directory itself goes away
        Path state = Files.createDirectories(dir.resolve("state"));
        Path tokens = Files.writeString(state.resolve("tokens"), "one");
        watch(tokens);
        busyIf(busy, dir);

        Files.delete(tokens);
        Files.delete(state);
        assertReportedInTime(Set.of(abs(tokens)), System.nanoTime());

        Files.createDirectories(state);
        Files.writeString(state.resolve("tokens"), "two");
        assertReportedInTime(Set.of(abs(tokens)), System.nanoTime());
    }

    @Test
    void aWatchedFileWrittenWithoutPauseIsStillReportedWithinTheBoundAgainAndAgain() throws Exception {
        // a state file rewritten every 2 ms: never quiet, so only the cap brings the check
        Path state = Files.writeString(dir.resolve("tokens"), "");
        watch(state);
        long started = System.nanoTime();
        BusyDirectory writes = BusyDirectory.start(dir, "tokens", NOISE_INTERVAL);
        noise.add(writes);

        assertReportedInTime(Set.of(abs(state)), started);
        long firstAt = System.nanoTime();
        long linesAtFirst = writes.lines();
        assertReportedInTime(Set.of(abs(state)), firstAt);
        assertTrue(writes.lines() > linesAtFirst, "the writes went on between the reports");
    }
}
