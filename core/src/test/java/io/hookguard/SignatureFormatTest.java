package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The header layouts, parsed directly: which items become candidates, and which values are refused. */
class SignatureFormatTest {
  private static final SignatureFormat STRIPE = SignatureFormat.keyValueList(',', "v1", "t");
  private static final SignatureFormat PAGERDUTY = SignatureFormat.keyValueList(',', "v1", null);
  private static final SignatureFormat STANDARD = SignatureFormat.versionedList();
  private static final SignatureFormat GITHUB = SignatureFormat.prefixed("sha256=");

  /** Each candidate as {@code version:text}, the text cut out of the header value. */
  private static List<String> candidates(SignatureFormat.Parsed parsed) {
    return parsed.candidates().stream()
        .map(c -> c.version() + ":" + c.text().substring(c.start(), c.end())).toList();
  }

  private static RejectionReason refused(SignatureFormat format, String value) {
    try {
      format.parse(value, "H");
    } catch (Reject reject) {
      return reject.reason;
    }
    throw new AssertionError("parsed: " + value);
  }

  @Test
  void keyValueListTrimsItemsAndSkipsEmptyOnes() {
    SignatureFormat.Parsed parsed = STRIPE.parse(" t=17 ,\tv1=ab , v1=cd,,x=1,", "H");

    assertThat(candidates(parsed)).containsExactly("v1:ab", "v1:cd");
    assertThat(parsed.timestamp()).isEqualTo("17");
    assertThat(candidates(STRIPE.parse(",t=1,v1=ab", "H"))).containsExactly("v1:ab");
    assertThat(candidates(STRIPE.parse("t=1,v1=", "H"))).containsExactly("v1:");
    assertThat(candidates(PAGERDUTY.parse("v1=ab", "H"))).containsExactly("v1:ab");
    assertThat(PAGERDUTY.parse("v1=ab", "H").timestamp()).isNull();
  }

  @Test
  void keyValueListRefusesItemsThatAreNotKeyValue() {
    for (String value : List.of("t=1,=ab", "t=1,v1", "t=1,v 1=ab", "t=1, =ab", "=", "t=1,v1=ab,junk")) {
      assertThat(refused(STRIPE, value)).as(value).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }
    assertThat(refused(STRIPE, "t=1,t=2,v1=ab")).isEqualTo(RejectionReason.MALFORMED_HEADER);
    assertThat(refused(STRIPE, "v1=ab")).isEqualTo(RejectionReason.MALFORMED_HEADER);
    assertThat(refused(STRIPE, "t=1")).isEqualTo(RejectionReason.MALFORMED_HEADER);
    assertThat(refused(STRIPE, "t=1,v0=ab")).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    assertThat(refused(PAGERDUTY, "")).isEqualTo(RejectionReason.MALFORMED_HEADER);
  }

  @Test
  void keysAreLettersDigitsDashAndUnderscoreOnly() {
    for (String key : List.of("a", "z", "A", "Z", "0", "9", "-", "_", "aZ09-_")) {
      assertThat(candidates(STRIPE.parse("t=1," + key + "=x,v1=ab", "H"))).as(key).containsExactly("v1:ab");
    }
    for (String key : List.of("`", "{", "@", "[", "/", ":", ".", "\u00e9", "a b")) {
      assertThat(refused(STRIPE, "t=1," + key + "=x,v1=ab")).as(key).isEqualTo(RejectionReason.MALFORMED_HEADER);
      assertThat(refused(STANDARD, key + ",ab")).as(key).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }
    assertThat(refused(GITHUB, "sha1=ab")).isEqualTo(RejectionReason.UNSUPPORTED_SIGNATURE_VERSION);
    assertThat(refused(GITHUB, "sha.1=ab")).isEqualTo(RejectionReason.MALFORMED_HEADER);
    assertThat(refused(GITHUB, "=ab")).isEqualTo(RejectionReason.MALFORMED_HEADER);
  }

  @Test
  void versionedListSplitsOnSingleSpacesAndKeepsUnknownVersions() {
    assertThat(candidates(STANDARD.parse("v1,ab v1a,cd v2,ef", "H")))
        .containsExactly("v1:ab", "v1a:cd", "v2:ef");
    assertThat(candidates(STANDARD.parse(" v1,ab  v1,cd ", "H"))).containsExactly("v1:ab", "v1:cd");
    assertThat(STANDARD.parse("v1,ab", "H").timestamp()).isNull();
    for (String value : List.of("", " ", "v1", ",ab", "v1,ab ,cd", "v1,ab v1")) {
      assertThat(refused(STANDARD, value)).as("[%s]", value).isEqualTo(RejectionReason.MALFORMED_HEADER);
    }
  }

  @Test
  void prefixedTakesEverythingAfterThePrefix() {
    assertThat(candidates(GITHUB.parse("sha256=abc", "H"))).containsExactly("sha256=:abc");
    assertThat(candidates(SignatureFormat.prefixed("").parse("abc=", "H"))).containsExactly(":abc=");
    assertThat(refused(GITHUB, "abc")).isEqualTo(RejectionReason.MALFORMED_HEADER);
  }

  @Test
  void whatEachFormatCarriesAndRenders() {
    assertThat(STRIPE.carriesTimestamp()).isTrue();
    assertThat(PAGERDUTY.carriesTimestamp()).isFalse();
    assertThat(STANDARD.carriesTimestamp()).isFalse();
    assertThat(GITHUB.carriesTimestamp()).isFalse();
    assertThat(STRIPE.defaultVersion()).isEqualTo("v1");
    assertThat(STANDARD.defaultVersion()).isEqualTo("v1");
    assertThat(GITHUB.defaultVersion()).isEqualTo("sha256=");
    assertThat(STRIPE.render("v1", "ab", "17")).isEqualTo("t=17,v1=ab");
    assertThat(SignatureFormat.keyValueList(';', "h1", "ts").render("h1", "ab", "17")).isEqualTo("ts=17;h1=ab");
    assertThat(PAGERDUTY.render("v1", "ab", "")).isEqualTo("v1=ab");
    assertThat(STANDARD.render("v1a", "ab", "")).isEqualTo("v1a,ab");
    assertThat(GITHUB.render("sha256=", "ab", "")).isEqualTo("sha256=ab");
  }
}
