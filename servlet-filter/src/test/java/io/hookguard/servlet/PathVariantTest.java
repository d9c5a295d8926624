package io.hookguard.servlet;

import static io.hookguard.servlet.AttackTarget.assertProblem;
import static io.hookguard.servlet.AttackTarget.assertRefusedCleanly;
import static io.hookguard.servlet.AttackTarget.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.WebhookRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Spellings of an endpoint's path that the container may or may not map to the endpoint: none
 * may carry an unverified request to the application. Under the filter's mapping, a path that
 * is no endpoint is refused (fail closed), not passed through.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Container.class)
class PathVariantTest {
  /** The container this run of the class is in. */
  @Parameter
  Container container;

  private static AttackTarget target;

  @BeforeParameterizedClassInvocation
  static void start(Container container) {
    target = AttackTarget.start(container);
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    target.close();
  }

  /**
   * Variants Jetty 12 answers 400 itself ("Ambiguous URI empty segment", its default
   * {@code UriCompliance}) before any filter runs, where Tomcat collapses the empty segments and
   * maps the request to the endpoint. Either way no unverified request reaches the servlet.
   */
  private static final Set<String> JETTY_REJECTS_AMBIGUOUS = Set.of("//webhooks//stripe");

  private static RawHttp.Answer unsignedPost(String rawTarget, String probe) {
    return RawHttp.exchange(target.port(), RawHttp.request("POST", rawTarget,
        utf8(AttackTarget.stripeEvent("evt_path_unsigned")),
        "Content-Type: application/json", SeenServlet.PROBE_HEADER + ": " + probe));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "/webhooks/stripe/", "//webhooks//stripe", "/webhooks/stripe;a=b", "/webhooks/stripe;jsessionid=x",
      "/webhooks/%73tripe", "/webhooks/x/%2e%2e/stripe", "/webhooks/./stripe", "/webhooks/STRIPE",
      "/webhooks/stripe%20", "/webhooks/stripe%09", "/webhooks/stripe%2F", "/webhooks/stripe/.",
      "/webhooks/stripe/extra", "/webhooks/Stripe", "/webhooks/stripe%00", "/webhooks/stripe.json",
      "/webhooks/stripe?x=1", "/webhooks/%2e/stripe", "/webhooks//stripe", "/webhooks/stripe//"})
  void anUnsignedPostToAVariantOfAnEndpointPathIsRefusedAndNeverReachesTheServlet(String variant) {
    String probe = AttackTarget.probe();

    RawHttp.Answer answer = unsignedPost(variant, probe);

    assertRefusedCleanly(answer);
    assertThat(target.app.seen(probe)).as("the servlet saw %s (answer %s)", variant, answer).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/webhooks/nope", "/webhooks/STRIPE", "/webhooks/stripe%20",
      "/webhooks/stripe/extra", "/webhooks/slack", "/webhooks/"})
  void aPathUnderTheMappingThatIsNoEndpointIsNotFoundAsAProblem(String path) {
    String probe = AttackTarget.probe();

    RawHttp.Answer answer = unsignedPost(path, probe);

    assertProblem(answer, 404, "no-such-endpoint");
    assertThat(target.app.seen(probe)).isEmpty();
  }

  @Test
  void pathsOutsideTheFiltersMappingStillReachTheApplication() {
    String probe = AttackTarget.probe();

    RawHttp.Answer answer = unsignedPost("/open", probe);

    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(target.app.seen(probe)).hasSize(1);
    assertThat(target.app.seen(probe).get(0).verified()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/webhooks/stripe/", "/webhooks/stripe;jsessionid=x", "/webhooks/stripe;a=b",
      "//webhooks//stripe", "/webhooks/%73tripe"})
  void aSignedDeliveryToAVariantTheContainerResolvesToTheEndpointIsVerifiedOnceWithItsExactBytes(String variant) {
    String probe = AttackTarget.probe();
    String id = "evt_variant_" + probe;
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, id);

    RawHttp.Answer answer = RawHttp.exchange(target.port(),
        AttackTarget.raw(signed, "POST", variant, SeenServlet.PROBE_HEADER + ": " + probe));

    List<SeenServlet.Seen> seen = target.app.seen(probe);
    if (container == Container.JETTY && JETTY_REJECTS_AMBIGUOUS.contains(variant)) {
      // Jetty refuses the request itself (its URI compliance), before any filter: refused, never the servlet.
      assertThat(answer.status()).as("%s answered %s", variant, answer).isEqualTo(400);
      assertThat(answer.body()).as("%s", answer).contains("Ambiguous URI empty segment");
      assertRefusedCleanly(answer);
      assertThat(seen).as("%s answered %s", variant, answer).isEmpty();
      return;
    }
    // Decoded, path parameters removed, repeated and trailing slashes ignored: the endpoint.
    assertThat(answer.status()).as("%s answered %s", variant, answer).isEqualTo(200);
    assertThat(seen).as("%s answered %s", variant, answer).hasSize(1);
    assertThat(seen.get(0).verified()).as("reached the servlet verified").isTrue();
    assertThat(seen.get(0).eventId()).isEqualTo(id);
    assertThat(seen.get(0).bodySha256()).isEqualTo(RecordingServlet.sha256(signed.body()));
  }

  @Test
  void theExactPathStillWorks() {
    String probe = AttackTarget.probe();
    WebhookRequest signed = target.signedStripe(AttackTarget.STRIPE_PATH, "evt_exact_" + probe);

    RawHttp.Answer answer = RawHttp.exchange(target.port(),
        AttackTarget.raw(signed, "POST", AttackTarget.STRIPE_PATH, SeenServlet.PROBE_HEADER + ": " + probe));

    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(target.app.seen(probe)).singleElement().satisfies(s -> assertThat(s.verified()).isTrue());
  }
}
