package io.portcullis.testing;

import java.util.List;

/**
 * The people and groups of the directory tests, as LDIF: loaded into UnboundID's in-memory server by the unit
 * tests and into a real slapd by the end-to-end ones, so both meet the same names.
 */
public final class TestDirectory {
    public static final String BASE = "dc=example,dc=com";
    public static final String PEOPLE = "ou=people," + BASE;
    public static final String GROUPS = "ou=groups," + BASE;
    public static final String SERVICE_DN = "cn=portcullis,ou=services," + BASE;
    public static final String SERVICE_PASSWORD = "service-secret";
    /** Every person's password is its uid followed by this. */
    public static final String PASSWORD_SUFFIX = "-pw";

    private TestDirectory() {
    }

    public static String password(String uid) {
        return uid + PASSWORD_SUFFIX;
    }

    /**
     * dora in developers, rita in readers, nick and sam in none (names the htpasswd files of the tests do not have),
     * two entries answering to "twin", and "star*user", whose name holds a filter wildcard as a literal character.
     *
     * @param memberOf also write memberOf values on the people (in-memory server without schema; slapd computes
     *                 them only with its memberof overlay, so there the groups are searched)
     */
    public static List<String> ldif(boolean memberOf) {
        StringBuilder b = new StringBuilder();
        b.append("dn: ").append(BASE).append("\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n");
        for (String ou : List.of("people", "groups", "services")) {
            b.append("dn: ou=").append(ou).append(',').append(BASE).append("\nobjectClass: organizationalUnit\nou: ").append(ou).append("\n\n");
        }
        b.append("dn: ").append(SERVICE_DN).append("\nobjectClass: person\ncn: portcullis\nsn: portcullis\nuserPassword: ")
                .append(SERVICE_PASSWORD).append("\n\n");
        person(b, "uid=dora," + PEOPLE, "dora", memberOf ? List.of("cn=developers," + GROUPS) : List.of());
        person(b, "uid=rita," + PEOPLE, "rita", memberOf ? List.of("cn=readers," + GROUPS) : List.of());
        person(b, "uid=nick," + PEOPLE, "nick", List.of());
        person(b, "uid=sam," + PEOPLE, "sam", List.of());
        person(b, "cn=twin one," + PEOPLE, "twin", List.of());
        person(b, "cn=twin two," + PEOPLE, "twin", List.of());
        person(b, "uid=star\\2Auser," + PEOPLE, "star*user", List.of());
        group(b, "developers", "uid=dora," + PEOPLE);
        group(b, "readers", "uid=rita," + PEOPLE);
        return List.of(b.toString().split("\n", -1));
    }

    private static void person(StringBuilder b, String dn, String uid, List<String> groups) {
        String cn = dn.startsWith("cn=") ? dn.substring(3, dn.indexOf(',')) : uid;
        b.append("dn: ").append(dn).append("\nobjectClass: inetOrgPerson\nuid: ").append(uid).append("\ncn: ").append(cn)
                .append("\nsn: ").append(uid).append("\nuserPassword: ").append(password(uid)).append('\n');
        for (String group : groups) {
            b.append("memberOf: ").append(group).append('\n');
        }
        b.append('\n');
    }

    private static void group(StringBuilder b, String cn, String member) {
        b.append("dn: cn=").append(cn).append(',').append(GROUPS).append("\nobjectClass: groupOfNames\ncn: ").append(cn)
                .append("\nmember: ").append(member).append("\n\n");
    }
}
