package io.portcullis.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one event per line, appended, written by its own thread. Rotation-friendly: after logrotate's
 * rename the file is reopened on SIGHUP ({@link #reopen}) or, at the latest, by the next batch, which notices that the
 * name no longer leads to the open file. Events are flushed to the file after each batch.
 */
final class AuditLogFile extends QueuedSink {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLogFile.class);
    private static final int BATCH = 256;

    private final Path file;
    private volatile boolean reopenRequested;
    private Writer out;
    private Object openFileKey;

    AuditLogFile(Path file, int bound, AuditMetrics metrics) {
        super("file", bound, BATCH, metrics);
        this.file = file;
    }

    /** Opens the file now, so a path that cannot be written is reported at start. */
    void open() throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        openFileKey = fileKey();
    }

    /** The file was rotated: write to a fresh file of the same name from the next batch on. */
    void reopen() {
        reopenRequested = true;
    }

    @Override
    Outcome deliver(List<String> events) {
        try {
            if (out == null || reopenRequested || moved()) {
                reopenRequested = false;
                closeQuietly();
                open();
            }
            for (String event : events) {
                out.write(event);
                out.write('\n');
            }
            out.flush();
            return Outcome.DELIVERED;
        } catch (IOException e) {
            LOG.warn("cannot write the audit log {} ({}); retrying", file, e.toString());
            closeQuietly();
            return Outcome.RETRY;
        }
    }

    /** True when the name leads to another file than the open one (renamed away, or deleted). */
    private boolean moved() throws IOException {
        return !Objects.equals(openFileKey, fileKey());
    }

    private Object fileKey() throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.fileKey() == null ? file : attributes.fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing the audit log: {}", e.toString());
            }
            out = null;
        }
    }

    @Override
    void closeResources() {
        closeQuietly();
    }
}
