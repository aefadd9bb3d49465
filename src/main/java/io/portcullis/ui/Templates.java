package io.portcullis.ui;

import io.portcullis.exchange.Answer;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/** The JTE templates of src/main/jte, compiled at build time (no template compiler at run time). */
final class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** Renders {@code template} and sends it as the whole response, with the catalog's security headers. */
    void send(HttpServerExchange exchange, int status, String template, Object model) {
        byte[] page = render(template, model).getBytes(StandardCharsets.UTF_8);
        Static.securityHeaders(exchange);
        Answer.send(exchange, status, Answer.HTML, page);
    }

    String render(String template, Object model) {
        StringOutput out = new StringOutput();
        engine.render(template, model, out);
        return out.toString();
    }
}
