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
 * GitHub ({@code sha256=<hex>} over the body) and Slack ({@code v0=<hex>} over
 * {@code v0:ts:body}) verified by Hookguard beside the bare-MAC baseline; neither sender ships an
 * official Java verifier.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GitHubSlackVerification {
  static final String SECRET = "benchmark-secret";

  /** Body size in bytes. */
  @Param({"256", "4096", "65536", "1048576"})
  public int size;

  /** {@code valid}, or {@code wrong-signature} (signed with another secret). */
  @Param({"valid", "wrong-signature"})
  public String delivery;

  private WebhookVerifier github;
  private WebhookVerifier slack;
  private WebhookRequest githubRequest;
  private WebhookRequest slackRequest;
  private byte[] body;
  private byte[] slackPrefix;
  private byte[] githubSignature;
  private byte[] slackSignature;
  private ThreadLocal<Mac> mac;

  /** Signs both deliveries once per trial. */
  @Setup
  public void setUp() {
    Instant now = Instant.now();
    body = Payloads.bytes(Payloads.json(size, "evt_bench"));
    String signingSecret = delivery.equals("valid") ? SECRET : "another-secret";
    WebhookRequest unsigned = WebhookRequest.builder().header("X-GitHub-Delivery", "d1").body(body).build();
    githubRequest = WebhookSigner.builder(Providers.GITHUB).secret(signingSecret).build().sign(unsigned, now);
    slackRequest = WebhookSigner.builder(Providers.SLACK).secret(signingSecret).build().sign(unsigned, now);
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    github = WebhookVerifier.builder(Providers.GITHUB).secret(SECRET).clock(clock).build();
    slack = WebhookVerifier.builder(Providers.SLACK).secret(SECRET).clock(clock).build();
    githubSignature = HexFormat.of().parseHex(githubRequest.headers().first("X-Hub-Signature-256").substring(7));
    slackSignature = HexFormat.of().parseHex(slackRequest.headers().first("X-Slack-Signature").substring(3));
    slackPrefix = ("v0:" + slackRequest.headers().first("X-Slack-Request-Timestamp") + ":")
        .getBytes(StandardCharsets.UTF_8);
    mac = Payloads.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8));
  }

  /** @return whether Hookguard verified the GitHub delivery */
  @Benchmark
  public boolean githubHookguard() {
    return github.verify(githubRequest).isVerified();
  }
  /** @return whether Hookguard verified the GitHub delivery and read its id and type (headers) */
  @Benchmark
  public boolean githubHookguardWithFields() {
    return Fields.read(github.verify(githubRequest));
  }


  /** @return whether the bare MAC matched the GitHub delivery */
  @Benchmark
  public boolean githubBaselineMac() {
    return MessageDigest.isEqual(mac.get().doFinal(body), githubSignature);
  }

  /** @return whether Hookguard verified the Slack delivery */
  @Benchmark
  public boolean slackHookguard() {
    return slack.verify(slackRequest).isVerified();
  }
  /** @return whether Hookguard verified the Slack delivery and read its event id and type (JSON body) */
  @Benchmark
  public boolean slackHookguardWithFields() {
    return Fields.read(slack.verify(slackRequest));
  }


  /** @return whether the bare MAC matched the Slack delivery */
  @Benchmark
  public boolean slackBaselineMac() {
    Mac m = mac.get();
    m.update(slackPrefix);
    return MessageDigest.isEqual(m.doFinal(body), slackSignature);
  }
}
