package io.portcullis.reload;

import org.slf4j.Logger;

/** Where reload lines go: the process log, or a list in tests that assert what the operator reads. */
interface ReloadLog {
    void info(String line);

    void warn(String line);

    static ReloadLog to(Logger logger) {
        return new ReloadLog() {
            @Override
            public void info(String line) {
                logger.info("{}", line);
            }

            @Override
            public void warn(String line) {
                logger.warn("{}", line);
            }
        };
    }
}
