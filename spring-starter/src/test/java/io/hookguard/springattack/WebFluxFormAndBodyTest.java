package io.hookguard.springattack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link SpringFormAndBodyTest} against the same application on Spring WebFlux (Netty). Netty's
 * request line is raised to Tomcat's 8 KB head, so that the 1,100 injected query parameters reach
 * the application (Netty's default 4 KB answers 414 itself). The malformed-chunking cases run on
 * Boot 4 only: Boot 3.5's Reactor Netty closes such connections without an answer
 * ({@link io.hookguard.springreactive.BootLine}).
 */
@AttackBootTest
@TestPropertySource(properties = {"spring.main.web-application-type=reactive",
    "server.netty.max-initial-line-length=8KB"})
class WebFluxFormAndBodyTest extends SpringFormAndBodyTest {

  @Override
  @Test
  @DisabledIf("io.hookguard.springreactive.BootLine#is35")
  void aBadChunkSizeOnASignedDeliveryIsUnreadable() {
    super.aBadChunkSizeOnASignedDeliveryIsUnreadable();
  }

  @Override
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"zz\r\n0123\r\n0\r\n\r\n", "-1\r\nabc\r\n0\r\n\r\n", "fffffffffffffffffff\r\nabc\r\n0\r\n\r\n",
      "4\r\n0123XX0\r\n\r\n", "4;ext=\"unterminated\r\n0123\r\n0\r\n\r\n", "0x4\r\n0123\r\n0\r\n\r\n",
      "\r\n\r\n", "4\n0123\n0\n\n"})
  @DisabledIf("io.hookguard.springreactive.BootLine#is35")
  void aMalformedChunkedSignedDeliveryIsA4xxWithoutAStackTrace(String chunks) {
    super.aMalformedChunkedSignedDeliveryIsA4xxWithoutAStackTrace(chunks);
  }
}
