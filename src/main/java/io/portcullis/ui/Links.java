package io.portcullis.ui;

/** Addresses of the catalog's pages, for the templates (values are URL-encoded here, HTML-escaped by JTE). */
public final class Links {
    private Links() {
    }

    public static String repository(String name) {
        return "/ui/repository?name=" + CatalogPages.encode(name);
    }

    public static String image(String name, String reference) {
        return "/ui/image?name=" + CatalogPages.encode(name) + "&ref=" + CatalogPages.encode(reference);
    }

    public static String delete(String name, String tag) {
        return "/ui/delete?name=" + CatalogPages.encode(name) + "&tag=" + CatalogPages.encode(tag);
    }

    public static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
