package io.portcullis.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Skips a test class, visibly, when external tools it drives are missing: the report counts it as skipped
 * with the Debian packages to install, and the same line is printed to the build output.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(NeedsTools.Condition.class)
public @interface NeedsTools {
    /** Commands that must be on PATH. */
    String[] value();

    /** Whether the test needs root (a private dockerd). */
    boolean root() default false;

    /** Command → Debian package that provides it. */
    Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("docker-registry", "docker-registry"),
            Map.entry("skopeo", "skopeo"),
            Map.entry("dockerd", "docker.io"),
            Map.entry("docker", "docker.io"),
            Map.entry("htpasswd", "apache2-utils"),
            Map.entry("curl", "curl"),
            Map.entry("openssl", "openssl"),
            Map.entry("tar", "tar"),
            Map.entry("gzip", "gzip"),
            Map.entry("chromium", "chromium"),
            Map.entry("chromedriver", "chromium-driver"),
            Map.entry("redis-server", "redis-server"),
            Map.entry("haproxy", "haproxy"),
            Map.entry("slapd", "slapd"),
            Map.entry("slapadd", "slapd"),
            Map.entry("ldapsearch", "ldap-utils"));

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            NeedsTools needs = context.getRequiredTestClass().getAnnotation(NeedsTools.class);
            if (needs == null || context.getTestMethod().isPresent()) {
                return ConditionEvaluationResult.enabled("checked at class level");
            }
            List<String> problems = new ArrayList<>();
            Set<String> packages = new LinkedHashSet<>();
            for (String tool : needs.value()) {
                if (Tools.find(tool).isEmpty()) {
                    problems.add("'" + tool + "' not installed");
                    packages.add(PACKAGES.getOrDefault(tool, tool));
                }
            }
            if (needs.root() && !Tools.isRoot()) {
                problems.add("needs root (running as " + System.getProperty("user.name") + ")");
            }
            if (problems.isEmpty()) {
                return ConditionEvaluationResult.enabled("all tools present");
            }
            String reason = context.getRequiredTestClass().getSimpleName() + " SKIPPED: " + String.join(", ", problems)
                    + (packages.isEmpty() ? "" : "; install: apt-get install " + String.join(" ", packages));
            // a warning on the console as well as in the report: a skipped end-to-end class is easy to miss
            LoggerFactory.getLogger(NeedsTools.class).warn(reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }
}
