package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Travis CI's key named by its API's config URL instead of given as a key: fetched from the
 * pinned {@code api.travis-ci.com} / {@code api.travis-ci.org} {@code /config} through
 * {@link RemoteDocuments}, cached, never per delivery.
 */
class TravisFetchedKeyTest {
  private static final String COM = "https://api.travis-ci.com/config";
  private final List<URI> fetched = new CopyOnWriteArrayList<>();
  private volatile String config = config(Fixtures.RSA.publicBase64());
  private volatile boolean down;

  private final RemoteDocuments documents = RemoteDocuments.builder().fetcher((url, maxBytes) -> {
    fetched.add(url);
    if (down) {
      throw new IOException("connection refused");
    }
    return config.getBytes(UTF_8);
  }).build();

  /** Travis's /config answer, shaped as the API publishes it. */
  private static String config(String publicKeyBase64) {
    return "{\"config\":{\"host\":\"travis-ci.com\",\"shorten_host\":\"trvs.io\",\"notifications\":{\"webhook\":"
        + "{\"public_key\":\"-----BEGIN PUBLIC KEY-----\\n" + publicKeyBase64 + "\\n-----END PUBLIC KEY-----\\n\"}}}}";
  }

  private WebhookVerifier verifier(String key) {
    return WebhookVerifier.builder(Providers.TRAVIS_CI).publicKey(key).remoteDocuments(documents).build();
  }

  private static WebhookRequest signed(String payload, String privateKey) {
    return WebhookSigner.builder(Providers.TRAVIS_CI).privateKey(privateKey).build()
        .sign(WebhookRequest.builder().body("{\"id\":1,\"number\":\"" + payload + "\"}").build());
  }

  @Test
  void theKeyPublishedAtTheConfigUrlVerifiesAndIsFetchedOnceForManyDeliveries() {
    WebhookVerifier verifier = verifier(COM);
    for (int i = 0; i < 5; i++) {
      assertThat(verifier.verify(signed("b" + i, Fixtures.RSA.privateBase64()))).isInstanceOf(VerifiedWebhook.class);
    }
    assertThat(fetched).containsExactly(URI.create(COM));
  }

  @Test
  void aDeliverySignedWithAnotherKeyIsRefusedUnderTheFetchedOne() {
    VerificationResult result = verifier(COM).verify(signed("x", Fixtures.OTHER_RSA.privateBase64()));

    assertThat(((Rejection) result).reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void anUnreachableConfigIsKeyUnavailableSoTravisRetriesNotABadSignature() {
    down = true;

    VerificationResult result = verifier(COM).verify(signed("y", Fixtures.RSA.privateBase64()));

    assertThat(((Rejection) result).reason()).isEqualTo(RejectionReason.KEY_UNAVAILABLE);
  }

  @Test
  void aConfigWithoutTheKeyOrWithItTwiceVerifiesNothing() {
    config = "{\"config\":{\"notifications\":{\"email\":true}}}";
    assertThat(((Rejection) verifier(COM).verify(signed("z", Fixtures.RSA.privateBase64()))).reason())
        .isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);

    config = "{\"config\":{\"notifications\":{\"webhook\":{\"public_key\":\"x\",\"public_key\":\"y\"}}}}";
    assertThat(((Rejection) verifier("https://api.travis-ci.org/config")
        .verify(signed("z", Fixtures.RSA.privateBase64()))).reason()).isEqualTo(RejectionReason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void onlyTravisOwnConfigUrlsAreTakenForAKeyAnythingElseIsAKeyOrRefused() {
    assertThatThrownBy(() -> verifier("https://api.travis-ci.com.evil.example/config"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("evil");
    assertThatThrownBy(() -> verifier("http://api.travis-ci.com/config")).isInstanceOf(IllegalArgumentException.class);
    assertThat(fetched).isEmpty();
  }
}
