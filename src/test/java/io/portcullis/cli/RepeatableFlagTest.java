package io.portcullis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.config.SettingsLoader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --audit-webhook} may be given once per receiver, as operators write it; other flags still only once. */
class RepeatableFlagTest {
    @TempDir
    Path dir;

    private List<URI> webhooks(String... serveArgs) {
        CommandLine.ParseResult parsed = PortcullisCommand.commandLine().parseArgs(prepend("serve", serveArgs));
        Map<String, String> flags = ServeCommand.givenFlags(parsed.subcommand());
        return new SettingsLoader(flags, Map.of(), dir).load().audit().webhooks();
    }

    @Test
    void eachFlagAddsAWebhookAndTheCommaFormStillWorks() {
        assertEquals(List.of(URI.create("https://a.example/hook"), URI.create("https://b.example/x"), URI.create("http://127.0.0.1:9000/y")),
                webhooks("--audit-webhook", "https://a.example/hook", "--audit-webhook=https://b.example/x,http://127.0.0.1:9000/y"));
        assertEquals(List.of(URI.create("https://a.example/hook"), URI.create("https://b.example/x")),
                webhooks("--audit-webhook", "https://a.example/hook https://b.example/x"));
    }

    @Test
    void aSettingThatTakesOneValueIsStillRefusedTwice() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class, () -> PortcullisCommand.commandLine()
                .parseArgs("serve", "--listen", "127.0.0.1:1", "--listen", "127.0.0.1:2"));
        assertTrue(e.getMessage().contains("--listen"), e.getMessage());
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
