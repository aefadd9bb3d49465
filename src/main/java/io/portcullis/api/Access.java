package io.portcullis.api;

import io.portcullis.base.Json;
import java.util.List;

/**
 * One resource + action a request asks for, in distribution's own terms ({@code auth.Access}). The field
 * names in JSON are capitalised because the registry serialises its Go struct without tags.
 */
public record Access(String type, String name, String action) {

    public static Access repository(String name, String action) {
        return new Access("repository", name, action);
    }

    String toJson() {
        return "{\"Type\":" + Json.quote(type) + ",\"Class\":\"\",\"Name\":" + Json.quote(name)
                + ",\"Action\":" + Json.quote(action) + "}";
    }

    static String toJson(List<Access> accesses) {
        if (accesses.isEmpty()) {
            return "null";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < accesses.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(accesses.get(i).toJson());
        }
        return out.append(']').toString();
    }
}
