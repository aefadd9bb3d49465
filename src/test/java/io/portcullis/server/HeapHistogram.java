package io.portcullis.server;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** Live instances of a class in this JVM after a full GC, read from the JVM's own GC.class_histogram command. */
final class HeapHistogram {
    private HeapHistogram() {
    }

    static long liveInstances(Class<?> type) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        // lines look like "  12:   3456   78901  io.undertow.server.protocol.http.HttpOpenListener"
        for (String line : histogram.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[3].equals(type.getName())) {
                return Long.parseLong(fields[1]);
            }
        }
        return 0;
    }
}
