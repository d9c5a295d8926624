package io.hookguard.servlet;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a bare socket, for what {@code java.net.http} will not send: odd request targets,
 * broken framing, short bodies, half-closed and slow senders. Requests are written byte for byte;
 * the answer is read until the server closes the connection (requests say {@code Connection:
 * close}) or the timeout passes.
 */
public final class RawHttp {
  private RawHttp() {}

  /** What came back; {@code status} is -1 when nothing that looks like an answer arrived. */
  public record Answer(int status, Map<String, List<String>> headers, String body, @Nullable String error, long millis) {
    public boolean none() {
      return status < 0;
    }

    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
      String shown = body.length() > 160 ? body.substring(0, 160) + "…" : body;
      return (none() ? "no response (" + error + ")" : status + " " + headers.getOrDefault("content-type", List.of())
          + " " + shown.replace("\r", "\\r").replace("\n", "\\n")) + " after " + millis + " ms";
    }
  }

  /** The head of a request: request line and headers, CRLF-terminated, then the blank line. */
  public static byte[] head(String method, String target, String... headerLines) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    boolean host = false;
    boolean connection = false;
    for (String line : headerLines) {
      String lower = line.toLowerCase(Locale.ROOT);
      host |= lower.startsWith("host:");
      connection |= lower.startsWith("connection:");
      head.append(line).append("\r\n");
    }
    if (!host) {
      head.append("Host: 127.0.0.1\r\n");
    }
    if (!connection) {
      head.append("Connection: close\r\n");
    }
    return head.append("\r\n").toString().getBytes(ISO_8859_1);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A request with a body and a matching Content-Length. */
  public static byte[] request(String method, String target, byte[] body, String... headerLines) {
    List<String> lines = new ArrayList<>(List.of(headerLines));
    lines.add("Content-Length: " + body.length);
    return concat(head(method, target, lines.toArray(String[]::new)), body);
  }

  /** Sends the bytes, then reads the answer. */
  public static Answer exchange(int port, byte[] request) {
    return exchange(port, request, false, Duration.ofSeconds(10));
  }

  /**
   * Sends the bytes, optionally half-closes (the server reads end-of-stream), then reads.
   *
   * @param halfClose whether to shut the write side down after the bytes
   * @param timeout how long to wait for the whole answer
   */
  public static Answer exchange(int port, byte[] request, boolean halfClose, Duration timeout) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        if (halfClose) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        // The server may answer and close before reading everything (e.g. a refused head); read what it said.
      }
      return read(socket.getInputStream(), start, timeout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until end of stream, a complete Content-Length answer, or the deadline. */
  /**
   * Sends a request head, then the body one byte every 300 ms (at most 100), while waiting for the
   * answer: a slow sender.
   *
   * @param port the server's port on 127.0.0.1
   * @param head the request head, its blank line included
   * @param wait how long to wait for the answer
   * @return the answer, or one with status -1 and the error
   */
  public static Answer trickle(int port, String head, Duration wait) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout((int) wait.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(ISO_8859_1));
      out.flush();
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 100; i++) {
            Thread.sleep(300);
            out.write('x');
            out.flush();
          }
        } catch (IOException | InterruptedException e) {
          // The server answered and closed, or the test is over.
        }
      }, "trickle");
      writer.setDaemon(true);
      writer.start();
      try {
        return read(socket.getInputStream(), start, wait);
      } finally {
        writer.interrupt();
      }
    } catch (IOException e) {
      return new Answer(-1, Map.of(), "", e.toString(), Duration.ofNanos(System.nanoTime() - start).toMillis());
    }
  }

  public static Answer read(InputStream in, long start, Duration timeout) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    String error = null;
    byte[] buffer = new byte[8192];
    long deadline = start + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        got.write(buffer, 0, n);
        if (complete(got.toByteArray())) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      error = "timed out";
    } catch (IOException e) {
      error = e.toString();
    }
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    return parse(got.toByteArray(), error == null && got.size() == 0 ? "closed without answer" : error, millis);
  }

  private static boolean complete(byte[] bytes) {
    String text = new String(bytes, ISO_8859_1);
    while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0) {
      text = text.substring(text.indexOf("\r\n\r\n") + 4);
    }
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    Map<String, List<String>> headers = headers(text.substring(0, end));
    List<String> length = headers.get("content-length");
    if (length != null) {
      return bytes.length - end - 4 >= Integer.parseInt(length.get(0).strip());
    }
    List<String> encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
    }
    return false;
  }

  private static Map<String, List<String>> headers(String head) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).strip());
      }
    }
    return headers;
  }

  public static Answer parse(byte[] bytes, @Nullable String error, long millis) {
    String text = new String(bytes, ISO_8859_1);
    // Skip interim answers (100 Continue): the final one follows.
    while (text.startsWith("HTTP/1.1 1") && text.indexOf("\r\n\r\n") > 0
        && text.length() > text.indexOf("\r\n\r\n") + 4) {
      text = text.substring(text.indexOf("\r\n\r\n") + 4);
    }
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.") || end < 0) {
      return new Answer(-1, Map.of(), text, error == null ? "no status line" : error, millis);
    }
    String statusLine = text.substring(0, text.indexOf("\r\n"));
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, List<String>> headers = headers(text.substring(0, end));
    String body = text.substring(end + 4);
    List<String> encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.get(0).toLowerCase(Locale.ROOT).contains("chunked")) {
      body = dechunk(body);
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length").get(0).strip());
      body = body.substring(0, Math.min(length, body.length()));
    }
    // The body was read as ISO-8859-1 bytes; show it as the UTF-8 the problem bodies are.
    body = new String(body.getBytes(ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
    return new Answer(status, headers, body, error, millis);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int line = chunked.indexOf("\r\n", at);
      if (line < 0) {
        break;
      }
      String size = chunked.substring(at, line).split(";")[0].strip();
      int n;
      try {
        n = Integer.parseInt(size, 16);
      } catch (NumberFormatException e) {
        break;
      }
      if (n == 0) {
        break;
      }
      int from = line + 2;
      body.append(chunked, from, Math.min(chunked.length(), from + n));
      at = from + n + 2;
    }
    return body.toString();
  }
}
