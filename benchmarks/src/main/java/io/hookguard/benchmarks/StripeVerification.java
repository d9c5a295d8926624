package io.hookguard.benchmarks;

import com.stripe.exception.SignatureVerificationException;
import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One Stripe delivery verified three ways: Hookguard, stripe-java's
 * {@code Webhook.Signature.verifyHeader}, and the baseline, a bare pre-initialised
 * {@link Mac} over {@code t.body} compared with {@link MessageDigest#isEqual} against the
 * decoded {@code v1} (header split beforehand: the cost of the HMAC itself).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StripeVerification {
  static final String SECRET = "whsec_benchmark_secret";

  /** Body size in bytes. */
  @Param({"256", "4096", "65536", "1048576"})
  public int size;

  /** {@code valid}, or {@code wrong-signature} (signed with another secret). */
  @Param({"valid", "wrong-signature"})
  public String delivery;

  private WebhookVerifier hookguard;
  private WebhookRequest request;
  private String payload;
  private String header;
  private byte[] body;
  private byte[] signedPrefix;
  private byte[] v1;
  private ThreadLocal<Mac> mac;

  /** Signs the delivery once per trial; the clock of Hookguard's verifier stands still at signing time. */
  @Setup
  public void setUp() {
    Instant now = Instant.now();
    payload = Payloads.json(size, "evt_bench");
    body = Payloads.bytes(payload);
    String signingSecret = delivery.equals("valid") ? SECRET : "whsec_another_secret";
    request = WebhookSigner.builder(Providers.STRIPE).secret(signingSecret).build()
        .sign(WebhookRequest.builder().body(body).build(), now);
    header = request.headers().first("Stripe-Signature");
    hookguard = WebhookVerifier.builder(Providers.STRIPE).secret(SECRET)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    String t = header.substring(2, header.indexOf(','));
    signedPrefix = (t + ".").getBytes(StandardCharsets.UTF_8);
    v1 = HexFormat.of().parseHex(header.substring(header.indexOf("v1=") + 3));
    mac = Payloads.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8));
  }

  /** @return whether Hookguard verified it */
  @Benchmark
  public boolean hookguard() {
    return hookguard.verify(request).isVerified();
  }
  /** @return whether Hookguard verified it and read its event id and type (from the JSON body) */
  @Benchmark
  public boolean hookguardWithFields() {
    return Fields.read(hookguard.verify(request));
  }


  /** @return whether the bare MAC matched */
  @Benchmark
  public boolean baselineMac() {
    Mac m = mac.get();
    m.update(signedPrefix);
    return MessageDigest.isEqual(m.doFinal(body), v1);
  }

  /** @return whether stripe-java verified it */
  @Benchmark
  public boolean stripeJava() {
    try {
      return com.stripe.net.Webhook.Signature.verifyHeader(payload, header, SECRET, 86_400);
    } catch (SignatureVerificationException e) {
      return false;
    }
  }
}
