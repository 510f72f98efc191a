package io.cvmsim.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket that sends exactly the bytes it is given, however malformed
 * (java.net.http refuses to send many of them), and reads one answer until the server closes the
 * connection. Requests are text in ISO-8859-1, so that any byte can be written as a char.
 */
final class RawHttp {

  /** A request as it goes on the wire. */
  record Request(
      String method,
      String target,
      String version,
      List<String> headers,
      byte[] body,
      boolean closeOutputAfterBody) {

    /** Returns the request line, headers and body as bytes. */
    byte[] bytes() {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");
      for (String h : headers) {
        head.append(h).append("\r\n");
      }
      head.append("\r\n");
      byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = new byte[h.length + body.length];
      System.arraycopy(h, 0, all, 0, h.length);
      System.arraycopy(body, 0, all, h.length, body.length);
      return all;
    }

    /** Returns the request printable for a failure message: long parts cut, odd bytes escaped. */
    String describe() {
      String text = new String(bytes(), StandardCharsets.ISO_8859_1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < text.length() && b.length() < 1500; i++) {
        char c = text.charAt(i);
        if (c == '\r') {
          b.append("\\r");
        } else if (c == '\n') {
          b.append("\\n\n    ");
        } else if (c < 0x20 || c >= 0x7f) {
          b.append(String.format("\\x%02x", (int) c));
        } else {
          b.append(c);
        }
      }
      return b.length() >= 1500 ? b + "... (" + text.length() + " bytes)" : b.toString();
    }
  }

  /** An answer: status, headers by lower-case name (first value), and the decoded body. */
  record Response(int status, Map<String, String> headers, String body) {

    /** Returns a header's first value, or null. */
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Returns the media type of the answer without parameters, or null. */
    String mediaType() {
      String type = header("Content-Type");
      return type == null ? null : type.replaceAll(";.*", "").trim().toLowerCase(Locale.ROOT);
    }
  }

  private final int port;
  private final int timeoutMillis;

  RawHttp(int port, int timeoutMillis) {
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sends {@code request} on a new connection and returns the final (non-1xx) answer.
   *
   * @throws IOException when no answer arrives before the timeout or the server closes without one
   */
  Response send(Request request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.bytes());
        out.flush();
        if (request.closeOutputAfterBody()) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may answer and close before it has read everything; read what it said.
      }
      byte[] raw = readAll(socket.getInputStream());
      return parse(raw);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; (n = in.read(chunk)) >= 0; ) {
        buf.write(chunk, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no complete answer within the timeout; got " + buf.size() + " bytes");
    } catch (IOException e) {
      // A reset after the answer was sent (the server closed with unread request bytes).
      if (buf.size() == 0) {
        throw e;
      }
    }
    return buf.toByteArray();
  }

  /** Parses an answer, skipping interim 1xx answers. */
  static Response parse(byte[] raw) throws IOException {
    int pos = 0;
    while (true) {
      int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), pos);
      if (end < 0) {
        throw new IOException("no answer, or a truncated head: " + raw.length + " bytes");
      }
      String head = new String(raw, pos, end - pos, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x status line: " + lines[0]);
      }
      int status = Integer.parseInt(statusLine[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      pos = end + 4;
      if (status >= 100 && status < 200) {
        continue;
      }
      byte[] body = body(raw, pos, headers);
      return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static byte[] body(byte[] raw, int pos, Map<String, String> headers) throws IOException {
    String te = headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      while (true) {
        int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
        if (eol < 0) {
          throw new IOException("truncated chunked answer");
        }
        String size = new String(raw, pos, eol - pos, StandardCharsets.ISO_8859_1);
        int n = Integer.parseInt(size.replaceAll(";.*", "").trim(), 16);
        pos = eol + 2;
        if (n == 0) {
          return out.toByteArray();
        }
        if (pos + n > raw.length) {
          throw new IOException("truncated chunk");
        }
        out.write(raw, pos, n);
        pos += n + 2;
      }
    }
    String length = headers.get("content-length");
    int n = length == null ? raw.length - pos : Integer.parseInt(length);
    if (pos + n > raw.length) {
      throw new IOException("truncated answer: " + (raw.length - pos) + " of " + n + " bytes");
    }
    byte[] body = new byte[n];
    System.arraycopy(raw, pos, body, 0, n);
    return body;
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    outer:
    for (int i = from; i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
