package io.portcullis.cli;

import picocli.CommandLine;

/** Reports the version written into the jar manifest by the build. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"portcullis " + (version == null ? "(development build)" : version),
                "Java " + System.getProperty("java.version")};
    }
}
