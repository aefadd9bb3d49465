package io.portcullis.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The accesses distribution's {@code appendAccessRecords} asks for on a parsed route, so the gate's 401 names the
 * same resources the registry's own htpasswd auth would, and the access rules decide on exactly those.
 */
final class RequestedAccess {
    private RequestedAccess() {
    }

    static List<Access> of(String method, Route route, String name, Map<String, String> parameters) {
        if (route == Route.CATALOG) {
            return List.of(new Access("registry", "catalog", "*"));
        }
        if (!route.hasRepository()) {
            return List.of();
        }
        List<Access> accesses = new ArrayList<>(3);
        switch (method) {
            case "GET", "HEAD" -> accesses.add(Access.repository(name, "pull"));
            case "POST", "PUT", "PATCH" -> {
                accesses.add(Access.repository(name, "pull"));
                accesses.add(Access.repository(name, "push"));
            }
            case "DELETE" -> accesses.add(Access.repository(name, "delete"));
            default -> {
            }
        }
        // the registry adds this on every repository route, whatever the method (app.go, authorized)
        String from = parameters.get(FormParameters.FROM);
        if (from != null && !from.isEmpty()) {
            accesses.add(Access.repository(from, "pull"));
        }
        return accesses;
    }
}
