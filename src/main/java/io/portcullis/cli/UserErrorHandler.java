package io.portcullis.cli;

import io.portcullis.base.UserError;
import picocli.CommandLine;

/** Turns a {@link UserError} into one line on stderr and exit code 1; anything else is a bug and keeps its trace. */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) throws Exception {
        if (ex instanceof UserError) {
            cmd.getErr().println("portcullis: error: " + ex.getMessage());
            cmd.getErr().flush();
            return USER_ERROR;
        }
        throw ex;
    }
}
