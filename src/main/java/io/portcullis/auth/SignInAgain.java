package io.portcullis.auth;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** What a token's holder is told when its owner's last sign-in is older than the sign-in window. */
public final class SignInAgain {
    private SignInAgain() {
    }

    public static String message(String user, LoginLedger.Entry last, Duration window) {
        return "the tokens of '" + user + "' work while '" + user + "' signs in at least every " + days(window)
                + "; the last sign-in was at " + DateTimeFormatter.ISO_INSTANT.format(last.at().truncatedTo(ChronoUnit.SECONDS))
                + ": sign in to the web catalog (/ui/sign-in) or log in once with the directory password, and the token works again";
    }

    private static String days(Duration window) {
        return window.toDays() >= 1 && window.toHours() % 24 == 0 ? window.toDays() + "d" : window.toSeconds() + "s";
    }
}
