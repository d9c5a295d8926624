package io.hookguard.dedup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * For schemes whose event id is not signed (GitHub's X-GitHub-Delivery, Shopify's event id), a
 * captured delivery replayed under a fresh id must not run again: the body is a second key.
 */
class BodyKeyDedupTest {
  private static final byte[] BODY = "{\"action\":\"opened\"}".getBytes(UTF_8);
  private final DedupEngine engine = DedupEngine.builder(CaffeineDedupStore.create()).build();

  private Admission admit(String eventId, byte[] body, boolean alsoKeyOnBody) throws InterruptedException {
    return engine.admit("/webhooks/github", "github", eventId, body, alsoKeyOnBody);
  }

  private static DedupClaim run(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Run.class);
    return ((Admission.Run) admission).claim();
  }

  @Test
  void aReplayUnderAFreshIdIsADuplicateOfTheCompletedBody() throws Exception {
    assertThat(run(admit("delivery-1", BODY, true)).finish(true)).isTrue();
    Admission replay = admit("made-up-2", BODY, true);
    assertThat(replay).isInstanceOf(Admission.Refuse.class);
    assertThat(((Admission.Refuse) replay).outcome()).isInstanceOf(DedupOutcome.Duplicate.class);
    // The fresh id's claim was given back: the id is free, and the real retry is a duplicate too.
    assertThat(((Admission.Refuse) admit("delivery-1", BODY, true)).outcome()).isInstanceOf(DedupOutcome.Duplicate.class);
  }

  @Test
  void aReplayWhileTheFirstRunsIsInProgressAndLeavesNoClaimBehind() throws Exception {
    DedupClaim first = run(admit("delivery-1", BODY, true));
    Admission replay = admit("made-up-2", BODY, true);
    assertThat(((Admission.Refuse) replay).outcome()).isInstanceOf(DedupOutcome.InProgress.class);
    first.finish(true);
    // made-up-2 was released when its body was found in progress, so it is claimable again and
    // then finds the body completed.
    assertThat(((Admission.Refuse) admit("made-up-2", BODY, true)).outcome()).isInstanceOf(DedupOutcome.Duplicate.class);
    assertThat(engine.unrecordedOutcomes()).isZero();
  }

  @Test
  void aFailedRunReleasesBothKeysSoTheRetryRuns() throws Exception {
    run(admit("delivery-1", BODY, true)).finish(false);
    DedupClaim retry = run(admit("delivery-1", BODY, true));
    retry.finish(true);
    DedupClaim other = run(admit("delivery-2", "{\"action\":\"closed\"}".getBytes(UTF_8), true));
    assertThat(other.finish(true)).isTrue();
  }

  @Test
  void withoutTheBodyKeyAFreshIdRunsAgain() throws Exception {
    run(admit("delivery-1", BODY, false)).finish(true);
    run(admit("made-up-2", BODY, false)).finish(true);
  }

  @Test
  void theBodyKeyNeverCollidesWithAnEventIdKey() throws Exception {
    // An event id that looks like a body key is hashed in its key, so it cannot take the body's place.
    String fingerprint = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(BODY));
    run(admit("body:" + fingerprint, "{}".getBytes(UTF_8), false)).finish(true);
    run(admit("delivery-1", BODY, true)).finish(true);
  }
}
