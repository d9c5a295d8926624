package io.hookguard.springattack;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.hookguard.springreactive.BootLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SpringFormAndBodyTest} against the same application on Spring WebFlux (Netty). Netty's
 * request line is raised to Tomcat's 8 KB head, so that the 1,100 injected query parameters reach
 * the application (Netty's default 4 KB answers 414 itself).
 */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive",
    "server.netty.max-initial-line-length=8KB"})
class WebFluxFormAndBodyTest extends SpringFormAndBodyTest {

  @Override
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"zz\r\n0123\r\n0\r\n\r\n", "-1\r\nabc\r\n0\r\n\r\n", "fffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
      "4\r\n0123XX0\r\n\r\n", "4;ext=\"unterminated\r\n0123\r\n0\r\n\r\n", "0x4\r\n0123\r\n0\r\n\r\n",
      "\r\n\r\n", "4\n0123\n0\n\n"})
  void aMalformedChunkedSignedDeliveryIsA4xxWithoutAStackTrace(String chunks) {
    assumeFalse(BootLine.IS_35 && chunks.startsWith("4;ext="),
        "Netty 4.1 reads this chunk; the 401 is decided but lost to the half-closed connection (see BootLine)");
    super.aMalformedChunkedSignedDeliveryIsA4xxWithoutAStackTrace(chunks);
  }
}
