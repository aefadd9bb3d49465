package io.portcullis.maintenance;

import io.portcullis.base.UserError;
import io.portcullis.state.AtomicFile;
import io.portcullis.state.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The maintenance switch in the state directory, for gates on one host (or one shared volume): the file
 * {@code maintenance} holds the mode, replaced atomically under the directory's lock; each gate's report is a file
 * in {@code gates/}. The reports live in their own directory because they change twice a second, and the file
 * watcher that tells gates about a new mode waits for its directory to be quiet.
 */
public final class DirectoryMaintenanceStore implements MaintenanceStore {
    static final String MODE_FILE = "maintenance";
    static final String REPORTS = "gates";
    private static final String REPORT_SUFFIX = ".report";
    private static final Pattern GATE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final StateDirectory state;
    private final Path modeFile;
    private final Path reports;

    public DirectoryMaintenanceStore(StateDirectory state) {
        this.state = state;
        this.modeFile = state.resolve(MODE_FILE);
        this.reports = state.resolve(REPORTS);
    }

    /** The file whose change means a new mode; gates watch it. */
    public Path modeFile() {
        return modeFile;
    }

    /**
     * @throws UserError when the file is not what this class writes (hand-edited, or from another version)
     */
    @Override
    public MaintenanceMode mode() {
        Map<String, String> fields;
        try {
            fields = fields(Files.readString(modeFile, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return MaintenanceMode.OFF;
        } catch (IOException e) {
            throw new UserError("cannot read " + modeFile + " (" + e.getMessage() + "); check the state directory's permissions");
        }
        try {
            boolean on = Boolean.parseBoolean(required(fields, "on"));
            long generation = Long.parseLong(required(fields, "generation"));
            Optional<Instant> since = on ? Optional.of(Instant.parse(required(fields, "since"))) : Optional.empty();
            return new MaintenanceMode(on, generation, since);
        } catch (RuntimeException e) {
            throw new UserError(modeFile + " is not a maintenance file written by portcullis (" + e.getMessage()
                    + "); remove it and run 'portcullis maintenance on' or 'off' again");
        }
    }

    @Override
    public MaintenanceMode switchOn(Instant now) {
        return change(mode -> mode.switchedOn(now));
    }

    @Override
    public MaintenanceMode switchOff() {
        return change(MaintenanceMode::switchedOff);
    }

    private MaintenanceMode change(java.util.function.UnaryOperator<MaintenanceMode> how) {
        return state.locked(MODE_FILE, () -> {
            MaintenanceMode before = mode();
            MaintenanceMode after = how.apply(before);
            if (!after.equals(before)) {
                String text = "on=" + after.on() + "\ngeneration=" + after.generation() + "\n"
                        + after.since().map(s -> "since=" + s + "\n").orElse("");
                try {
                    AtomicFile.write(modeFile, text.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UserError("cannot write " + modeFile + " (" + e.getMessage() + "); check the state directory");
                }
            }
            return after;
        });
    }

    /**
     * Replaced by a rename, so readers never see half a report; not flushed to disk: a report is worth half a
     * second and is rewritten anyway, and an fsync twice a second per gate would cost more than it protects.
     */
    @Override
    public void report(GateReport report) {
        Path file = reportFile(report.gate());
        String text = "generation=" + report.generation() + "\npending=" + report.pendingWrites() + "\nat=" + report.at() + "\n";
        try {
            // like the state directory itself: the gate's user only
            Files.createDirectories(reports, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path temp = Files.createTempFile(reports, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the maintenance report " + file, e);
        }
    }

    @Override
    public void withdraw(String gate) {
        try {
            Files.deleteIfExists(reportFile(gate));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the maintenance report of " + gate, e);
        }
    }

    /** Reports that cannot be read (being replaced this instant, or not ours) are skipped. */
    @Override
    public List<GateReport> reports() {
        List<GateReport> found = new ArrayList<>();
        if (!Files.isDirectory(reports)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(reports, "*" + REPORT_SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                try {
                    Map<String, String> f = fields(Files.readString(file, StandardCharsets.UTF_8));
                    found.add(new GateReport(name.substring(0, name.length() - REPORT_SUFFIX.length()),
                            Long.parseLong(required(f, "generation")), Integer.parseInt(required(f, "pending")),
                            Instant.parse(required(f, "at"))));
                } catch (IOException | RuntimeException e) {
                    // gone between listing and reading, or not a report: nothing a gate said
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot list " + reports + " (" + e.getMessage() + "); check the state directory's permissions");
        }
        return found;
    }

    private Path reportFile(String gate) {
        if (!GATE_NAME.matcher(gate).matches()) {
            throw new IllegalArgumentException("gate name for a file: " + gate);
        }
        return reports.resolve(gate + REPORT_SUFFIX);
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no '" + key + "' line");
        }
        return value;
    }
}
