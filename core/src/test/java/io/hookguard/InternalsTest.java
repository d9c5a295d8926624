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
}
