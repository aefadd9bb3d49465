package io.portcullis.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/** Reading parsed Kubernetes YAML (maps and lists) with an assertion at each step, so a missing field says which. */
public final class YamlTree {
    private YamlTree() {
    }

    public static Map<String, Object> onlyContainer(Map<String, Object> podSpec) {
        return asMap(onlyItem(list(podSpec, "containers")));
    }

    public static Map<String, Object> onlyItem(List<Object> items) {
        assertEquals(1, items.size(), "exactly one item: " + items);
        return asMap(items.get(0));
    }

    public static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Object e : list(container, "env")) {
            Map<String, Object> m = asMap(e);
            if (m.get("value") != null) {
                env.put(str(m, "name"), String.valueOf(m.get("value")));
            }
        }
        return env;
    }

    /** The secret volume mounted (as a whole directory) at mountPath. */
    public static Map<String, Object> mountedSecret(Map<String, Object> pod, Map<String, Object> container, String mountPath) {
        for (Object m : list(container, "volumeMounts")) {
            Map<String, Object> mount = asMap(m);
            if (mountPath.equals(mount.get("mountPath"))) {
                assertNull(mount.get("subPath"), mountPath + " must not use subPath");
                return map(volume(pod, str(mount, "name")), "secret");
            }
        }
        throw new AssertionError("nothing mounted at " + mountPath);
    }

    public static Map<String, Object> volume(Map<String, Object> pod, String name) {
        for (Object v : list(pod, "volumes")) {
            if (name.equals(asMap(v).get("name"))) {
                return asMap(v);
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** A port given as number or as the name of a container port. */
    public static int resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer i) {
            return i;
        }
        for (Object p : listOrEmpty(container, "ports")) {
            if (String.valueOf(port).equals(asMap(p).get("name"))) {
                return integer(asMap(p), "containerPort");
            }
        }
        throw new AssertionError("port " + port + " is neither a number nor a named container port");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    public static Map<String, Object> map(Map<String, Object> m, String key) {
        assertNotNull(m, "parent of " + key);
        return asMap(m.get(key));
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key) {
        Object o = m.get(key);
        assertTrue(o instanceof List, key + " is a list: " + o);
        return (List<Object>) o;
    }

    public static List<Object> listOrEmpty(Map<String, Object> m, String key) {
        return m.get(key) == null ? List.of() : list(m, key);
    }

    public static String str(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o == null ? null : String.valueOf(o);
    }

    public static int integer(Map<String, Object> m, String key) {
        Object o = m.get(key);
        assertTrue(o instanceof Integer, key + " is an integer: " + o);
        return (Integer) o;
    }
}
