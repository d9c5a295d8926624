package io.hookguard.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.servlet.Container;
import io.hookguard.servlet.RawHttp;
import io.hookguard.servlet.TestServer;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lifecycle's view of a real container request's headers: what a scheme reads through it is
 * what the request carried, and once detached it serves what was read and nothing more.
 */
class ContainerHeadersTest {

  /** Reads through the view inside the container and answers what it saw, a line per read. */
  static final class ReadingServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      ContainerHeaders headers = new ContainerHeaders(request);
      List<String> seen = new ArrayList<>();
      seen.add("all x-SIG " + headers.all("x-SIG"));
      seen.add("first X-Sig " + headers.first("X-Sig"));
      seen.add("all Missing " + headers.all("Missing"));
      seen.add("names " + headers.names().stream().filter(n -> n.toLowerCase().startsWith("x-")).toList());
      headers.detach();
      seen.add("after all X-SIG " + read(() -> headers.all("X-SIG")));
      seen.add("after all missing " + read(() -> headers.all("missing")));
      seen.add("after names " + read(() -> headers.names().size() > 0));
      seen.add("after all X-Other " + read(() -> headers.all("X-Other")));
      response.setContentType("text/plain");
      response.getOutputStream().write(String.join("\n", seen).getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Supplier<?> read) {
      try {
        return String.valueOf(read.get());
      } catch (IllegalStateException e) {
        return "refused";
      }
    }
  }

  /** Reads the body to its end first, as the lifecycle does, then the headers. */
  static final class BodyFirstServlet extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      byte[] body = request.getInputStream().readAllBytes();
      ContainerHeaders headers = new ContainerHeaders(request);
      String seen = new String(body, StandardCharsets.UTF_8) + " " + headers.all("X-Sig") + " " + headers.all("X-Late")
          + " " + headers.names().stream().anyMatch(n -> n.equalsIgnoreCase("X-Late"));
      response.getOutputStream().write(seen.getBytes(StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void headersReadAfterAChunkedBodyAreTheHeadNotItsTrailer(Container container) throws Exception {
    // Now that headers are read after the body, a trailer must not be taken for a header.
    Filter passThrough = (request, response, chain) -> chain.doFilter(request, response);
    try (TestServer server = container.start(passThrough, Map.of("/*", new BodyFirstServlet()))) {
      byte[] request = RawHttp.concat(RawHttp.head("POST", "/trailer", "Transfer-Encoding: chunked", "X-Sig: a",
              "Trailer: X-Sig, X-Late"),
          "5\r\nhello\r\n0\r\nX-Sig: evil\r\nX-Late: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

      RawHttp.Answer answer = RawHttp.exchange(server.port(), request);

      assertThat(answer.status()).as("%s", answer).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("hello [a] [] false");
    }
  }

  @ParameterizedTest
  @EnumSource(Container.class)
  void aSchemeReadsTheHeadersTheRequestCarriedAndNothingReachesTheContainerOnceDetached(Container container)
      throws Exception {
    Filter passThrough = (request, response, chain) -> chain.doFilter(request, response);
    try (TestServer server = container.start(passThrough, Map.of("/*", new ReadingServlet()))) {
      RawHttp.Answer answer = RawHttp.exchange(server.port(), RawHttp.request("POST", "/read", new byte[0],
          "X-Sig: a", "X-Other: c", "x-sig: b"));

      assertThat(answer.status()).as("%s", answer).isEqualTo(200);
      assertThat(answer.body().split("\n")).containsExactly(
          "all x-SIG [a, b]",
          "first X-Sig a",
          "all Missing []",
          // One name per header, case-insensitively, in the order first received.
          "names [X-Sig, X-Other]",
          // What was read before is kept, the absent header included.
          "after all X-SIG [a, b]",
          "after all missing []",
          // Names were read before too.
          "after names true",
          // Never read before: the container request may already serve another exchange.
          "after all X-Other refused");
    }
  }
}
