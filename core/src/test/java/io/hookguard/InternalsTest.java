package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoders, the JSON field reader and URL handling, where their edge cases live. */
class InternalsTest {

  @Test
  void hexIsStrictLowerCase() {
    assertThat(Codec.decodeHex("00ff")).containsExactly(0, -1);
    assertThat(Codec.decodeHex("00FF")).isNull();
    assertThat(Codec.decodeHex("0")).isNull();
    assertThat(Codec.decodeHex("")).isNull();
    assertThat(Codec.decodeHex("0g")).isNull();
    assertThat(Codec.decodeHex("\u0660\u0661")).isNull();
  }

  @Test
  void base64IsCanonicalAndPadded() {
    assertThat(Codec.decodeBase64("AA==")).containsExactly(0);
    assertThat(Codec.decodeBase64("AB==")).as("non-zero unused bits").isNull();
    assertThat(Codec.decodeBase64("AAE=")).containsExactly(0, 1);
    assertThat(Codec.decodeBase64("AAF=")).as("non-zero unused bits").isNull();
    assertThat(Codec.decodeBase64("AA")).as("unpadded").isNull();
    assertThat(Codec.decodeBase64("A-_=")).as("URL alphabet").isNull();
    assertThat(Codec.decodeBase64("====")).isNull();
    assertThat(Codec.decodeBase64("")).isNull();
    assertThat(Codec.decodeBase64("AA==AA==")).isNull();
    assertThat(Codec.decodeBase64("A\u0141==")).as("a char whose low byte is a digit").isNull();
    assertThat(Codec.decodeBase64("=AAA")).isNull();
    assertThat(Codec.decodeBase64("A=AA")).isNull();
    assertThat(Codec.decodeBase64("AA=A")).isNull();
  }

  /**
   * The table-driven decoders against the JDK's, as an oracle: over random texts of the
   * characters that matter, a text decodes exactly when the JDK decodes it and encodes it back
   * to the same text (canonical), and then to the same bytes.
   */
  @Test
  void decodersAgreeWithTheJdkOnCanonicalText() {
    java.util.Random random = new java.util.Random(20261124);
    String base64Chars = "AQgw/+Zz09=-_ \u00c1\u0141";
    String hexChars = "0123456789abcdefABCDEFg \u0660";
    int decodedBase64 = 0;
    int decodedHex = 0;
    for (int round = 0; round < 200_000; round++) {
      String text = randomText(random, round % 2 == 0 ? base64Chars : hexChars, 1 + random.nextInt(12));
      if (round % 2 == 0) {
        byte[] jdk = jdkCanonicalBase64(text);
        assertThat(Codec.decodeBase64(text)).as(text).isEqualTo(jdk);
        decodedBase64 += jdk != null ? 1 : 0;
      } else {
        byte[] jdk = jdkCanonicalHex(text);
        assertThat(Codec.decodeHex(text)).as(text).isEqualTo(jdk);
        decodedHex += jdk != null ? 1 : 0;
      }
    }
    // Random bytes of every length round-trip, so every padding shape is exercised.
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String base64 = java.util.Base64.getEncoder().encodeToString(bytes);
      String hex = java.util.HexFormat.of().formatHex(bytes);
      String framed = "v1," + base64 + " ";
      if (length > 0) {
        assertThat(Codec.decodeBase64(base64)).containsExactly(bytes);
        assertThat(Codec.decodeBase64(framed, 3, framed.length() - 1)).containsExactly(bytes);
        assertThat(Codec.decodeHex(hex)).containsExactly(bytes);
        assertThat(Codec.decodeHex("sha256=" + hex, 7, 7 + hex.length())).containsExactly(bytes);
      }
    }
    assertThat(decodedBase64).as("random texts that decode").isGreaterThan(1_000);
    assertThat(decodedHex).as("random texts that decode").isGreaterThan(1_000);
  }

  private static String randomText(java.util.Random random, String chars, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(chars.charAt(random.nextInt(chars.length())));
    }
    return text.toString();
  }

  private static byte[] jdkCanonicalBase64(String text) {
    try {
      byte[] bytes = java.util.Base64.getDecoder().decode(text);
      return bytes.length > 0 && java.util.Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] jdkCanonicalHex(String text) {
    try {
      byte[] bytes = java.util.HexFormat.of().parseHex(text);
      return bytes.length > 0 && java.util.HexFormat.of().formatHex(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Test
  void jsonFieldsReadsNestedScalarsInOnePass() {
    JsonFields fields = new JsonFields(List.of("id", "event.id", "event.deep.type", "missing"));
    byte[] body = ("{\"skip\":{\"id\":\"not this\"},\"arr\":[{\"id\":1}],\"id\":\"top\",\"event\":"
        + "{\"id\":42,\"deep\":{\"type\":\"caf\\u00e9\"}}}").getBytes();

    assertThat(fields.read(body)).containsExactly("top", "42", "caf\u00e9", null);
  }

  @Test
  void jsonFieldsKeepsWhatPrecedesMalformedInput() {
    JsonFields fields = new JsonFields(List.of("id", "type"));

    assertThat(fields.read("{\"id\":\"a\",\"type\":".getBytes())).containsExactly("a", null);
    assertThat(fields.read("not json".getBytes())).containsExactly(null, null);
    assertThat(fields.read("[{\"id\":\"a\"}]".getBytes())).containsExactly(null, null);
    assertThat(fields.read("{\"id\":null,\"type\":true}".getBytes())).containsExactly(null, "true");
    byte[] deep = ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes();
    assertThat(fields.read(deep)).containsExactly(null, null);
    byte[] bomb = new byte[1 << 20];
    Arrays.fill(bomb, (byte) '[');
    assertThat(fields.read(bomb)).containsExactly(null, null);
  }

  @Test
  void twilioUrlVariantsToggleOnlyTheDefaultPort() {
    assertThat(TwilioScheme.urlVariants("https://a.test/p?q=1"))
        .containsExactly("https://a.test/p?q=1", "https://a.test:443/p?q=1");
    assertThat(TwilioScheme.urlVariants("http://a.test:80/p"))
        .containsExactly("http://a.test:80/p", "http://a.test/p");
    assertThat(TwilioScheme.urlVariants("https://user@a.test:8443/p")).containsExactly("https://user@a.test:8443/p");
    assertThat(TwilioScheme.urlVariants("not a url")).containsExactly("not a url");
  }

  @Test
  void hubspotDecodesOnlyReservedEscapes() {
    assertThat(ContentTemplate.decodeReserved("https://a.test/p%3Fx%3a1?e=a%40b%2Cc%20d%25"))
        .isEqualTo("https://a.test/p?x:1?e=a@b,c%20d%25");
  }

  @Test
  void unixTimestampsAreAtMostEighteenDigits() {
    assertThat(TimestampFormat.UNIX_MILLIS.parse("100000000000000000"))
        .isEqualTo(java.time.Instant.ofEpochMilli(100_000_000_000_000_000L));
    assertThat(TimestampFormat.UNIX_MILLIS.parse("1000000000000000000")).isNull();
    assertThat(TimestampFormat.UNIX_SECONDS.parse("000000000000000017")).isEqualTo(java.time.Instant.ofEpochSecond(17));
    assertThat(TimestampFormat.UNIX_SECONDS.parse("")).isNull();
    assertThat(TimestampFormat.UNIX_SECONDS.parse("0")).isEqualTo(java.time.Instant.EPOCH);
    assertThat(TimestampFormat.UNIX_SECONDS.parse("9")).isEqualTo(java.time.Instant.ofEpochSecond(9));
    assertThat(TimestampFormat.UNIX_SECONDS.parse("/")).isNull();
    assertThat(TimestampFormat.UNIX_SECONDS.parse(":")).isNull();
  }

  @Test
  void unixSecondsStopAtInstantMax() {
    long max = java.time.Instant.MAX.getEpochSecond();
    assertThat(TimestampFormat.UNIX_SECONDS.parse(Long.toString(max))).isEqualTo(java.time.Instant.ofEpochSecond(max));
    assertThat(TimestampFormat.UNIX_SECONDS.parse(Long.toString(max + 1))).isNull();
    assertThat(TimestampFormat.RFC_3339.parse("")).isNull();
    assertThat(TimestampFormat.RFC_3339.parse("2024-05-01T10:00:00.5Z")).isEqualTo(java.time.Instant.parse("2024-05-01T10:00:00.5Z"));
  }

  @Test
  void decodersRefuseCharactersJustPastTheirTables() {
    assertThat(Codec.decodeBase64("AAA{")).isNull();
    assertThat(Codec.decodeBase64("AAAAAAAA")).containsExactly(0, 0, 0, 0, 0, 0);
    assertThat(Codec.decodeBase64("AAAz")).isNotNull();
    assertThat(Codec.decodeHex("0g")).isNull();
    assertThat(Codec.decodeHex("0f")).containsExactly(15);
    assertThat(TimestampFormat.UNIX_MILLIS.parse("0")).isEqualTo(java.time.Instant.EPOCH);
  }
}
