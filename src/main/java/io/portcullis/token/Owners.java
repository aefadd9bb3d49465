package io.portcullis.token;

import java.util.regex.Pattern;

/**
 * Token owners: users (htpasswd now, a directory later) and robots. A robot is {@code robot+NAME}: shell-safe,
 * no colon (so it works as a basic-auth user name), and never a user name, because the htpasswd loader refuses
 * users spelled that way.
 */
public final class Owners {
    public static final String ROBOT_PREFIX = "robot+";
    private static final Pattern ROBOT = Pattern.compile("robot\\+[a-z0-9][a-z0-9._-]{0,62}");

    private Owners() {
    }

    /** Whether the name is spelled as a robot (whether or not it is well formed). */
    public static boolean looksLikeRobot(String name) {
        return name.startsWith(ROBOT_PREFIX);
    }

    /** A well-formed robot name: {@code robot+} then lower-case letters, digits, '.', '_', '-' (up to 63). */
    public static boolean isRobot(String name) {
        return ROBOT.matcher(name).matches();
    }
}
