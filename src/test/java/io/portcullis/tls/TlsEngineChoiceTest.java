package io.portcullis.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.testing.TestPki;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which engine serves for each tls-engine value, when BoringSSL loads and when it does not. */
class TlsEngineChoiceTest {
    private static final TestPki.Pair PAIR = TestPki.selfSigned(List.of("localhost"), 1);
    private static final TlsMaterial MATERIAL = TlsMaterial.of(PAIR.keys().getPrivate(), List.of(PAIR.certificate()));

    private static BoringSsl.Library cannotLoad() {
        return BoringSsl.Library.unavailable("UnsatisfiedLinkError: no netty_tcnative_linux_x86_64 in java.library.path");
    }

    @Test
    void autoServesWithBoringSslWhenItLoads() {
        ServerTls tls = ServerTls.create(MATERIAL, null, TlsEngineChoice.AUTO);

        assertEquals("boringssl", tls.engine().name());
        assertInstanceOf(BoringSslContext.class, tls.context());
        assertTrue(tls.engine().describe().startsWith("BoringSSL (BoringSSL, netty-tcnative 2.0."), tls.engine().describe());
    }

    @Test
    void autoFallsBackToJsseAndSaysWhyWhenBoringSslCannotLoad() {
        ServerTls tls = ServerTls.create(MATERIAL, null, TlsEngineChoice.AUTO, TlsEngineChoiceTest::cannotLoad);

        assertEquals("jsse", tls.engine().name());
        assertTrue(tls.engine().fellBack());
        assertTrue(tls.engine().fallbackReason().contains("UnsatisfiedLinkError"), tls.engine().fallbackReason());
        assertEquals("SunJSSE", tls.context().getProvider().getName());
    }

    @Test
    void boringSslByNameThatCannotLoadIsAStartUpErrorSayingWhatToDo() {
        UserError e = assertThrows(UserError.class,
                () -> ServerTls.create(MATERIAL, null, TlsEngineChoice.BORINGSSL, TlsEngineChoiceTest::cannotLoad));

        assertTrue(e.getMessage().startsWith("--tls-engine boringssl: the BoringSSL library cannot be loaded here"), e.getMessage());
        assertTrue(e.getMessage().contains("UnsatisfiedLinkError"), e.getMessage());
        assertTrue(e.getMessage().contains("--tls-engine auto or jsse"), e.getMessage());
    }

    @Test
    void jsseByNameNeverLoadsBoringSsl() {
        ServerTls tls = ServerTls.create(MATERIAL, null, TlsEngineChoice.JSSE, () -> {
            throw new AssertionError("BoringSSL probed although jsse was asked for");
        });

        assertEquals("jsse", tls.engine().name());
        assertEquals(false, tls.engine().fellBack());
    }
}
