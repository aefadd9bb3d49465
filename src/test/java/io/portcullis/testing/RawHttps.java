package io.portcullis.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Sends bytes exactly as given over TLS and reads back what came, response by response, the way a hand-written
 * attack would: nothing is normalised by an HTTP client library on the way.
 */
public final class RawHttps {
    private RawHttps() {
    }

    /** One response as received; {@code status} is 0 when the gate closed the connection without answering. */
    public record Response(int status, List<String> headers, String body) {
        public String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** What came back for {@code request}: every response until the gate closed the connection or went quiet. */
    public record Exchange(List<Response> responses, boolean closed) {
        public Response first() {
            return responses.isEmpty() ? new Response(0, List.of(), "") : responses.get(0);
        }
    }

    public static Exchange send(SSLContext tls, int port, String request, int expectedResponses) throws IOException {
        return send(tls, port, request.getBytes(StandardCharsets.ISO_8859_1), expectedResponses);
    }

    public static Exchange send(SSLContext tls, int port, byte[] request, int expectedResponses) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException e) {
                // the gate may close while a big request is still being written; what it answered is still readable
            }
            InputStream in = socket.getInputStream();
            List<Response> responses = new ArrayList<>();
            boolean closed = false;
            try {
                while (responses.size() < expectedResponses) {
                    Response r = readResponse(in);
                    if (r == null) {
                        closed = true;
                        break;
                    }
                    responses.add(r);
                    if ("close".equalsIgnoreCase(r.header("Connection"))) {
                        closed = in.read() < 0;
                        break;
                    }
                }
            } catch (SocketException e) {
                closed = true;
            } catch (SocketTimeoutException e) {
                closed = false;
            }
            return new Exchange(responses, closed);
        }
    }

    private static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null) {
            return null;
        }
        List<String> headers = new ArrayList<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            headers.add(line);
        }
        Response head = new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, "");
        String length = head.header("Content-Length");
        byte[] body;
        if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            for (int size = Integer.parseInt(readLine(in).strip(), 16); size > 0; size = Integer.parseInt(readLine(in).strip(), 16)) {
                chunks.write(in.readNBytes(size));
                readLine(in);
            }
            readLine(in);
            body = chunks.toByteArray();
        } else {
            body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        }
        return new Response(head.status(), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
