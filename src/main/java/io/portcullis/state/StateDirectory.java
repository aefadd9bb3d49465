package io.portcullis.state;

import io.portcullis.base.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The directory ({@code state-dir}) where the gate keeps what it writes itself: tokens, the maintenance flag. The
 * gate and the command-line tools ({@code portcullis token …}) write here at the same time, so every change is made
 * under {@link #locked}, which holds a lock file both across processes ({@link FileLock}) and across threads and
 * gates of one process (a {@link FileLock} is per process, and taking it twice in one JVM throws).
 */
public final class StateDirectory {
    /** One in-process lock per lock file, shared by every gate of this JVM (tests run several). */
    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** Everything the gate creates here is this user's only, lock files too. */
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /**
     * A temporary file of {@link AtomicFile} older than this was left by a process killed mid-write; younger ones may
     * belong to a writer (the CLI, another gate) that is about to rename it, so they stay.
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private final Path dir;

    private StateDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens the directory, creating it readable by this user only when it does not exist.
     *
     * @throws UserError naming the directory and what to fix
     */
    public static StateDirectory open(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (FileAlreadyExistsException e) {
            throw new UserError("state directory " + absolute + " exists and is not a directory; fix --state-dir");
        } catch (AccessDeniedException e) {
            throw new UserError("cannot create the state directory " + absolute + ": permission denied; create it for the gate's user or fix --state-dir");
        } catch (IOException | UnsupportedOperationException e) {
            throw new UserError("cannot create the state directory " + absolute + " (" + e.getMessage() + "); fix --state-dir");
        }
        if (!Files.isWritable(absolute) || !Files.isReadable(absolute)) {
            throw new UserError("state directory " + absolute + " is not readable and writable by this user; fix its owner or --state-dir");
        }
        removeAbandonedTemporaryFiles(absolute);
        return new StateDirectory(absolute);
    }

    private static void removeAbandonedTemporaryFiles(Path dir) {
        Instant before = Instant.now().minus(ABANDONED_AFTER);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> AtomicFile.isTemporary(f.getFileName().toString())).toList()) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to delete: nothing depends on it
                }
            }
        } catch (IOException e) {
            // listing failed: the state itself is read elsewhere, with its own errors
        }
    }

    public Path path() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Runs {@code change} while holding {@code <name>.lock}: no other thread, gate or process changes the same state
     * meanwhile. Read-modify-write of one state file goes inside; plain reads need no lock (writes are atomic renames).
     */
    public <T> T locked(String name, Supplier<T> change) {
        Path lockFile = dir.resolve(name + ".lock");
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), PRIVATE);
             FileLock ignored = channel.lock()) {
            return change.get();
        } catch (IOException e) {
            throw new UserError("cannot lock " + lockFile + " (" + e.getMessage() + "); check the state directory's permissions");
        } finally {
            local.unlock();
        }
    }
}
