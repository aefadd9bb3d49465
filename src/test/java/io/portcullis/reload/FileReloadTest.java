package io.portcullis.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.portcullis.base.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The skeleton every file reload shares: fingerprint, load only on a change, swap only what loaded. */
class FileReloadTest {
    @TempDir
    Path dir;

    /** Serves the number a file holds; anything else in the file does not load. */
    private static final class NumberReload extends FileReload<Integer> {
        final List<Integer> inService = new ArrayList<>();
        int loads;

        NumberReload(Path file, int current) {
            super("number", List.of(file));
            inService.add(current);
        }

        @Override
        Integer load() {
            loads++;
            String text = read(files().get(0)).strip();
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                throw new UserError(files().get(0) + ": '" + text + "' is not a number");
            }
        }

        @Override
        String notReloaded() {
            return "number not reloaded, " + inService.get(inService.size() - 1) + " stays in service";
        }

        @Override
        ReloadReport putInService(Integer next) {
            inService.add(next);
            return ReloadReport.reloaded("now " + next, List.of());
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (java.io.IOException e) {
                throw new UserError("cannot read " + file);
            }
        }
    }

    @Test
    void anUnchangedFileIsNotEvenLoaded() throws Exception {
        Path file = Files.writeString(dir.resolve("n"), "1\n");
        NumberReload reload = new NumberReload(file, 1);
        assertEquals(ReloadReport.Outcome.UNCHANGED, reload.reload().outcome());
        Files.writeString(file, "1\n"); // rewritten with the same content: a touch, an editor's save
        assertEquals(ReloadReport.Outcome.UNCHANGED, reload.reload().outcome());
        assertEquals(0, reload.loads);
    }

    @Test
    void aChangedValidFileIsPutInServiceOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("n"), "1\n");
        NumberReload reload = new NumberReload(file, 1);
        Files.writeString(file, "2\n");
        assertEquals(new ReloadReport(ReloadReport.Outcome.RELOADED, "now 2", List.of()), reload.reload());
        assertEquals(ReloadReport.Outcome.UNCHANGED, reload.reload().outcome());
        assertEquals(List.of(1, 2), reload.inService);
    }

    @Test
    void anInvalidFileKeepsWhatIsInServiceAndSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("n"), "1\n");
        NumberReload reload = new NumberReload(file, 1);
        Files.writeString(file, "two\n");
        ReloadReport rejected = reload.reload();
        assertEquals(ReloadReport.Outcome.REJECTED, rejected.outcome());
        assertEquals("number not reloaded, 1 stays in service: " + file + ": 'two' is not a number", rejected.message());
        assertEquals(List.of(1), reload.inService);
        // fixed back to what is in service: nothing to do
        Files.writeString(file, "1\n");
        assertEquals(ReloadReport.Outcome.UNCHANGED, reload.reload().outcome());
        Files.writeString(file, "3\n");
        assertEquals(ReloadReport.Outcome.RELOADED, reload.reload().outcome());
        assertEquals(List.of(1, 3), reload.inService);
    }

    @Test
    void aMissingFileIsAChangeThatDoesNotLoad() throws Exception {
        Path file = Files.writeString(dir.resolve("n"), "1\n");
        NumberReload reload = new NumberReload(file, 1);
        Files.delete(file);
        assertEquals(ReloadReport.Outcome.REJECTED, reload.reload().outcome());
        assertEquals(List.of(1), reload.inService);
    }
}
