package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Twilio's signed content, checked against signatures computed here with the JDK's HMAC-SHA1 as
 * Twilio documents it, not by Hookguard's signer.
 */
class TwilioSchemeTest {
  private static final String TOKEN = "twilio-auth-token";
  private static final WebhookVerifier VERIFIER =
      WebhookVerifier.builder(Providers.TWILIO).secret(TOKEN).build();

  private static String hmacSha1(String content) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TOKEN.getBytes(UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(UTF_8)));
  }

  private static String sha256Hex(String body) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(UTF_8)));
  }

  private static WebhookRequest form(String url, String body, String signature) {
    return WebhookRequest.builder().url(url).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature).body(body).build();
  }

  @Test
  void formParametersAreSignedSortedByNameThenValueAndDecoded() throws Exception {
    String url = "https://h.test/sms";
    String body = "b=2&a=x%2By&b=1&c=";
    String signature = hmacSha1(url + "ax+y" + "b1" + "b2" + "c");

    assertThat(VERIFIER.verify(form(url, body, signature)).isVerified()).isTrue();
    assertThat(VERIFIER.verify(form(url, "b=2&a=x%2By&b=3&c=", signature)).isVerified()).isFalse();
  }

  @Test
  void anEmptyFormBodySignsTheUrlAlone() throws Exception {
    String url = "https://h.test/voice";
    assertThat(VERIFIER.verify(form(url, "", hmacSha1(url))).isVerified()).isTrue();
  }

  @Test
  void aBodyHashInTheUrlSignsTheUrlAloneEvenForAFormContentType() throws Exception {
    String body = "a=1";
    String url = "https://h.test/hook?bodySHA256=" + sha256Hex(body);

    assertThat(VERIFIER.verify(form(url, body, hmacSha1(url))).isVerified()).isTrue();
    assertThat(VERIFIER.verify(form(url, "a=2", hmacSha1(url))))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.detail())
            .isEqualTo("the body does not match the signed bodySHA256"));
    String badHash = "https://h.test/hook?bodySHA256=XYZ";
    assertThat(VERIFIER.verify(form(badHash, body, hmacSha1(badHash))).isVerified()).isFalse();
  }

  @Test
  void aBodyThatIsNeitherAFormNorCoveredByABodyHashIsRefusedNotVerifiedOverTheUrlAlone() throws Exception {
    // The attacker holds a URL-only signature (what Twilio sends for a GET webhook or an empty
    // form post to that URL) and attaches a body of their choice: nothing signs that body.
    String url = "https://h.test/json";
    for (String contentType : new String[] {"application/json", "text/plain", "application/xml"}) {
      WebhookRequest forged = WebhookRequest.builder().url(url).header("Content-Type", contentType)
          .header("X-Twilio-Signature", hmacSha1(url)).body("{\"amount\":1000000}").build();

      VerificationResult result = VERIFIER.verify(forged);

      assertThat(result.isVerified()).as(contentType).isFalse();
      assertThat(((Rejection) result).reason()).isEqualTo(RejectionReason.UNREADABLE_BODY);
    }
    WebhookRequest noContentType = WebhookRequest.builder().url(url)
        .header("X-Twilio-Signature", hmacSha1(url)).body("a=1&b=2").build();
    assertThat(VERIFIER.verify(noContentType).isVerified()).as("no Content-Type").isFalse();

    WebhookRequest empty = WebhookRequest.builder().url(url).header("Content-Type", "application/json")
        .header("X-Twilio-Signature", hmacSha1(url)).body("").build();
    assertThat(VERIFIER.verify(empty).isVerified()).as("an empty body: the URL is all there is").isTrue();
  }

  @Test
  void theSignerAddsTheBodyHashToJsonUrlsOnly() throws Exception {
    WebhookSigner signer = WebhookSigner.builder(Providers.TWILIO).secret(TOKEN).build();
    String body = "{\"a\":1}";
    String hash = sha256Hex(body);

    for (String[] urls : new String[][] {{"https://h.test/p", "https://h.test/p?bodySHA256=" + hash},
        {"https://h.test/p?x=1", "https://h.test/p?x=1&bodySHA256=" + hash},
        {"?x=1", "?x=1&bodySHA256=" + hash},
        {"https://h.test/p?bodySHA256=" + hash, "https://h.test/p?bodySHA256=" + hash}}) {
      WebhookRequest signed = signer.sign(WebhookRequest.builder().url(urls[0])
          .header("Content-Type", "application/json").body(body).build());
      assertThat(signed.url()).isEqualTo(urls[1]);
      assertThat(signed.headers().first("X-Twilio-Signature")).isEqualTo(hmacSha1(urls[1]));
    }
    WebhookRequest form = signer.sign(WebhookRequest.builder().url("https://h.test/p")
        .header("Content-Type", "application/x-www-form-urlencoded").body("b=2&a=1").build());
    assertThat(form.url()).isEqualTo("https://h.test/p");
    assertThat(form.headers().first("X-Twilio-Signature")).isEqualTo(hmacSha1("https://h.test/pa1b2"));
  }

  @Test
  void aMalformedFormBodyIsUnreadable() throws Exception {
    String url = "https://h.test/p";
    assertThat(VERIFIER.verify(form(url, "a=%zz", hmacSha1(url))))
        .isInstanceOfSatisfying(Rejection.class,
            r -> assertThat(r.reason()).isEqualTo(RejectionReason.UNREADABLE_BODY));
  }

  @Test
  void queryParameterReadsOnlyTheQuery() {
    assertThat(TwilioScheme.queryParameter("https://h.test/p", "bodySHA256")).isNull();
    assertThat(TwilioScheme.queryParameter("bodySHA256=ab", "bodySHA256")).isNull();
    assertThat(TwilioScheme.queryParameter("?bodySHA256=ab", "bodySHA256")).isEqualTo("ab");
    assertThat(TwilioScheme.queryParameter("https://h.test/p?x=1&bodySHA256=ab&y=2", "bodySHA256")).isEqualTo("ab");
    assertThat(TwilioScheme.queryParameter("https://h.test/p?x=1&bodySHA256=ab#f", "bodySHA256")).isEqualTo("ab");
    assertThat(TwilioScheme.queryParameter("https://h.test/p?x=1#bodySHA256=ab", "bodySHA256")).isNull();
    assertThat(TwilioScheme.queryParameter("https://h.test/p?xbodySHA256=ab", "bodySHA256")).isNull();
    assertThat(TwilioScheme.queryParameter("https://h.test/p?bodySHA256=", "bodySHA256")).isEmpty();
  }

  @Test
  void theDefaultPortIsTriedBothWays() throws Exception {
    String signedWithPort = "https://h.test:443/p";
    assertThat(VERIFIER.verify(form("https://h.test/p", "", hmacSha1(signedWithPort))).isVerified()).isTrue();
    assertThat(VERIFIER.verify(form(signedWithPort, "", hmacSha1("https://h.test/p"))).isVerified()).isTrue();
    assertThat(VERIFIER.verify(form("https://h.test:8443/p", "", hmacSha1("https://h.test/p"))).isVerified()).isFalse();
  }
}
