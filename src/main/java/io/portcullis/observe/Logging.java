package io.portcullis.observe;

/**
 * Sets up slf4j-simple before the first logger exists (it reads its settings only once).
 * Undertow's and XNIO's own logs reach slf4j through jboss-logging, pointed there by {@code Main}.
 */
public final class Logging {
    private Logging() {
    }

    public static void configure(String level) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        if (level.equals("debug") || level.equals("trace")) {
            // the library loggers are kept at warn in simplelogger.properties; open them up when asked
            for (String library : new String[] {"io.undertow", "org.xnio", "org.jboss"}) {
                System.setProperty("org.slf4j.simpleLogger.log." + library, level);
            }
        }
    }
}
