package io.portcullis.registry;

/** The registry's grammars for names and references, for code that builds registry paths itself (the web catalog). */
public final class Names {
    private Names() {
    }

    public static boolean isRepository(String name) {
        return name != null && name.length() <= 255 && Grammar.NAME_PATTERN.matcher(name).matches();
    }

    public static boolean isTag(String tag) {
        return tag != null && Grammar.TAG_PATTERN.matcher(tag).matches();
    }

    public static boolean isDigest(String digest) {
        return digest != null && Grammar.DIGEST_PATTERN.matcher(digest).matches();
    }
}
