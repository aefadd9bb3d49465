package io.portcullis.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreatedForThisUserOnly() throws Exception {
        StateDirectory state = StateDirectory.open(tmp.resolve("a/state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.path())));
    }

    @Test
    void aFileInItsPlaceIsAOneLineError() throws Exception {
        Path file = Files.writeString(tmp.resolve("state"), "x");
        UserError e = assertThrows(UserError.class, () -> StateDirectory.open(file));
        assertTrue(e.getMessage().contains("is not a directory") && e.getMessage().contains("--state-dir"), e.getMessage());
    }

    @Test
    void aReplacedFileIsPrivateAndLeavesNoTemporaryFileBehind() throws Exception {
        StateDirectory state = StateDirectory.open(tmp.resolve("state"));
        Path target = state.resolve("tokens.json");
        AtomicFile.write(target, "old".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (Stream<Path> files = Files.list(state.path())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void lockFilesAreForThisUserOnly() throws Exception {
        StateDirectory state = StateDirectory.open(tmp.resolve("state"));
        state.locked("tokens", () -> null);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("tokens.lock"))));
    }

    @Test
    void aTemporaryFileLeftByAKilledWriterIsRemovedAtOpenAndAFreshOneStays() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("state"));
        Path abandoned = Files.writeString(dir.resolve(".tokens.123.tmp"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(StateDirectory.ABANDONED_AFTER).minusSeconds(60)));
        Path fresh = Files.writeString(dir.resolve(".tokens.456.tmp"), "being written");
        Path state = Files.writeString(dir.resolve("tokens"), "kept");
        StateDirectory.open(dir);
        assertTrue(Files.notExists(abandoned));
        assertTrue(Files.exists(fresh), "a writer may be about to rename it");
        assertEquals("kept", Files.readString(state));
    }

    @Test
    void changesUnderTheLockDoNotInterleave() throws Exception {
        StateDirectory state = StateDirectory.open(tmp.resolve("state"));
        Path counter = state.resolve("counter");
        AtomicFile.write(counter, "0".getBytes(StandardCharsets.UTF_8));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // a second StateDirectory on the same path stands for a second gate in this JVM
            StateDirectory own = StateDirectory.open(state.path());
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    own.locked("counter", () -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        try {
                            int n = Integer.parseInt(Files.readString(counter));
                            AtomicFile.write(counter, Integer.toString(n + 1).getBytes(StandardCharsets.UTF_8));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            inside.decrementAndGet();
                        }
                        return null;
                    });
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals("200", Files.readString(counter));
        assertEquals(1, mostInside.get());
    }
}
