package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ways certificates and htpasswd files get replaced in practice, each seen as a change of the watched path. */
class FileWatcherTest {
    private static final Duration QUIET = Duration.ofMillis(100);

    @TempDir
    Path dir;

    private final BlockingQueue<Set<Path>> reports = new LinkedBlockingQueue<>();
    private FileWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private void watch(Path... files) throws Exception {
        watcher = new FileWatcher(List.of(files), QUIET, reports::add);
    }

    private Set<Path> nextReport() throws InterruptedException {
        Set<Path> report = reports.poll(20, TimeUnit.SECONDS);
        if (report == null) {
            throw new AssertionError("no change reported within 20 s");
        }
        return report;
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    @Test
    void inPlaceWriteIsAChange() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "one");
        watch(cert);

        Files.writeString(cert, "two");

        assertEquals(Set.of(abs(cert)), nextReport());
    }

    @Test
    void editorRenamingATempFileOverTheTargetIsAChange() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "alice:one\n");
        watch(htpasswd);

        Path temp = Files.writeString(dir.resolve(".htpasswd.swp"), "alice:two\n");
        Files.move(temp, htpasswd, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        assertEquals(Set.of(abs(htpasswd)), nextReport());
    }

    @Test
    void certbotRetargetingTheLiveSymlinkIsAChangeAndSoIsAnEditBehindTheLink() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/example.com"));
        Path live = Files.createDirectories(dir.resolve("live/example.com"));
        Files.writeString(archive.resolve("fullchain1.pem"), "one");
        Path link = Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/example.com/fullchain1.pem"));
        watch(link);

        // certbot writes the new archive file first (not yet a change), then replaces the link
        Files.writeString(archive.resolve("fullchain2.pem"), "two");
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("../../archive/example.com/fullchain2.pem"));
        assertEquals(Set.of(abs(link)), nextReport());

        Files.writeString(archive.resolve("fullchain2.pem"), "three");
        assertEquals(Set.of(abs(link)), nextReport());
    }

    @Test
    void kubernetesSecretVolumeDataSwapIsAChange() throws Exception {
        // the layout kubelet writes: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/
        Path first = Files.createDirectories(dir.resolve("..2026_11_22_10_00_00.111"));
        Files.writeString(first.resolve("tls.crt"), "one");
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path crt = Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data/tls.crt"));
        watch(crt);

        // an update: new timestamped dir, ..data_tmp link to it renamed over ..data, old dir removed
        Path second = Files.createDirectories(dir.resolve("..2026_11_22_10_05_00.222"));
        Files.writeString(second.resolve("tls.crt"), "two");
        Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(first.resolve("tls.crt"));
        Files.delete(first);
        assertEquals(Set.of(abs(crt)), nextReport());

        // and the next update is seen as well (the watcher follows the link to its new directory)
        Path third = Files.createDirectories(dir.resolve("..2026_11_22_10_10_00.333"));
        Files.writeString(third.resolve("tls.crt"), "three");
        Files.move(Files.createSymbolicLink(dir.resolve("..data_tmp"), third.getFileName()), dir.resolve("..data"),
                StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of(abs(crt)), nextReport());
    }

    @Test
    void touchesAndNeighboursAreNotChangesOnlyContentIs() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        watch(cert, key);

        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(60)));
        Files.writeString(dir.resolve("ca.crt"), "a neighbour");
        Files.writeString(cert, "cert"); // rewritten with the same content
        Files.writeString(key, "new key");

        // whether these landed in one quiet period or several, the first report names only the real change
        assertEquals(Set.of(abs(key)), nextReport());
    }

    @Test
    void aCertificateAndKeyWrittenOneAfterTheOtherAreReportedTogether() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "cert");
        Path key = Files.writeString(dir.resolve("key.pem"), "key");
        watcher = new FileWatcher(List.of(cert, key), Duration.ofSeconds(1), reports::add);

        Files.writeString(cert, "new cert");
        Files.writeString(key, "new key");

        assertEquals(Set.of(abs(cert), abs(key)), nextReport());
    }

    @Test
    void aFileThatDisappearsAndComesBackIsReportedEachTime() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "one");
        watch(htpasswd);

        Files.delete(htpasswd);
        assertEquals(Set.of(abs(htpasswd)), nextReport());

        Files.writeString(htpasswd, "two");
        assertEquals(Set.of(abs(htpasswd)), nextReport());
    }
}
