package io.hookguard.benchmarks;

import io.hookguard.Providers;
import io.hookguard.WebhookRequest;
import io.hookguard.WebhookSigner;
import io.hookguard.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * One Standard Webhooks delivery verified by Hookguard, by svix's and standardwebhooks' Java
 * libraries, and by the bare-MAC baseline over {@code id.timestamp.body} with the decoded
 * base64 signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StandardWebhooksVerification {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** Body size in bytes. */
  @Param({"256", "4096", "65536", "1048576"})
  public int size;

  /** {@code valid}, or {@code wrong-signature} (signed with another secret). */
  @Param({"valid", "wrong-signature"})
  public String delivery;

  private WebhookVerifier hookguard;
  private WebhookRequest request;
  private String payload;
  private Map<String, List<String>> headers;
  private com.svix.Webhook svix;
  private com.standardwebhooks.Webhook standard;
  private byte[] body;
  private byte[] signedPrefix;
  private byte[] signature;
  private ThreadLocal<Mac> mac;

  /**
   * Signs the delivery once per trial. The SDKs check the timestamp against the real clock (5 min).
   *
   * @throws Exception when an SDK refuses the secret
   */
  @Setup
  public void setUp() throws Exception {
    Instant now = Instant.now();
    payload = Payloads.json(size, "evt_bench");
    body = Payloads.bytes(payload);
    String signingSecret = delivery.equals("valid") ? SECRET
        : "whsec_" + Base64.getEncoder().encodeToString("another-32-byte-key-for-signing!".getBytes(StandardCharsets.UTF_8));
    request = WebhookSigner.builder(Providers.STANDARD_WEBHOOKS).secret(signingSecret).build()
        .sign(WebhookRequest.builder().header("webhook-id", "msg_bench").body(body).build(), now);
    headers = new LinkedHashMap<>();
    for (String name : request.headers().names()) {
      headers.put(name, request.headers().all(name));
    }
    hookguard = WebhookVerifier.builder(Providers.STANDARD_WEBHOOKS).secret(SECRET)
        .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    svix = new com.svix.Webhook(SECRET);
    standard = new com.standardwebhooks.Webhook(SECRET);
    signedPrefix = ("msg_bench." + request.headers().first("webhook-timestamp") + ".").getBytes(StandardCharsets.UTF_8);
    signature = Base64.getDecoder().decode(request.headers().first("webhook-signature").substring(3));
    mac = Payloads.hmacSha256(Base64.getDecoder().decode(SECRET.substring(6)));
  }

  /** @return whether Hookguard verified it */
  @Benchmark
  public boolean hookguard() {
    return hookguard.verify(request).isVerified();
  }
  /** @return whether Hookguard verified it and read its event id (header) and type (JSON body) */
  @Benchmark
  public boolean hookguardWithFields() {
    return Fields.read(hookguard.verify(request));
  }


  /** @return whether the bare MAC matched */
  @Benchmark
  public boolean baselineMac() {
    Mac m = mac.get();
    m.update(signedPrefix);
    return MessageDigest.isEqual(m.doFinal(body), signature);
  }

  /** @return whether svix's library verified it */
  @Benchmark
  public boolean svix() {
    try {
      svix.verify(payload, headers);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** @return whether the standardwebhooks library verified it */
  @Benchmark
  public boolean standardWebhooks() {
    try {
      standard.verify(payload, headers);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
