package io.portcullis.token;

/**
 * A token just created or rotated, with its text: the only moment the secret exists outside the client. Show
 * {@link #text()} once and drop it.
 */
public record IssuedToken(Token token, TokenSecret secret) {
    public String text() {
        return secret.text();
    }

    @Override
    public String toString() {
        return "IssuedToken[" + token.id() + "]";
    }
}
