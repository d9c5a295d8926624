package io.hookguard;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Signed-content templates: what each placeholder writes, and which templates are refused. */
class ContentTemplateTest {
  private static final WebhookRequest REQUEST = WebhookRequest.builder().method("put")
      .url("https://h.test/p%3Fq?a=%41%2c").body("{\"x\":1}").build();

  private static String written(String template, WebhookRequest request, String timestamp, String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContentTemplate.parse(template).bind(request, timestamp, id).writeTo(out::write);
    return out.toString(UTF_8);
  }

  @Test
  void everyPlaceholderWritesItsValueAndLiteralsStayAsWritten() {
    assertThat(written("{id}.{timestamp}.{body}", REQUEST, "17", "msg_1")).isEqualTo("msg_1.17.{\"x\":1}");
    assertThat(written("v0:{timestamp}:{body}", REQUEST, "17", "")).isEqualTo("v0:17:{\"x\":1}");
    assertThat(written("{method}{url}{body}", REQUEST, "", ""))
        .isEqualTo("PUThttps://h.test/p%3Fq?a=%41%2c{\"x\":1}");
    assertThat(written("{method}{decoded-url}{body}{timestamp}", REQUEST, "17", ""))
        .isEqualTo("PUThttps://h.test/p?q?a=%41,{\"x\":1}17");
    assertThat(written("caf\u00e9 {body} \u2713", REQUEST, "", "")).isEqualTo("caf\u00e9 {\"x\":1} \u2713");
    assertThat(written("{body}", REQUEST, "", "")).isEqualTo("{\"x\":1}");
    assertThat(written("{body}}", REQUEST, "", "")).isEqualTo("{\"x\":1}}");
  }

  @Test
  void itKnowsWhichDeliveryValuesItNeeds() {
    ContentTemplate all = ContentTemplate.parse("{id}{timestamp}{url}{body}");
    ContentTemplate bodyOnly = ContentTemplate.parse("{body}");

    assertThat(all.usesId()).isTrue();
    assertThat(all.usesTimestamp()).isTrue();
    assertThat(all.usesUrl()).isTrue();
    assertThat(ContentTemplate.parse("{decoded-url}{body}").usesUrl()).isTrue();
    assertThat(ContentTemplate.parse("{method}{body}").usesUrl()).isFalse();
    assertThat(bodyOnly.usesId()).isFalse();
    assertThat(bodyOnly.usesTimestamp()).isFalse();
    assertThat(bodyOnly.usesUrl()).isFalse();
    assertThat(all).hasToString("{id}{timestamp}{url}{body}");
  }

  @Test
  void malformedTemplatesAreRefusedNamingTheTemplate() {
    assertThatThrownBy(() -> ContentTemplate.parse("{id}.{body"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("unclosed '{' in signed-content template {id}.{body");
    assertThatThrownBy(() -> ContentTemplate.parse("{nope}{body}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown placeholder {nope} in");
    assertThatThrownBy(() -> ContentTemplate.parse("{id}.{timestamp}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("signed-content template {id}.{timestamp} must contain {body}");
    assertThatThrownBy(() -> ContentTemplate.parse(""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must contain {body}");
  }

  @Test
  void decodedUrlDecodesEveryReservedEscapeInEitherCase() {
    assertThat(ContentTemplate.decodeReserved("%3A%2F%3F%40%21%24%27%28%29%2A%2C%3B"))
        .isEqualTo(":/?@!$'()*,;");
    assertThat(ContentTemplate.decodeReserved("%3a%2f%3f%2a%2c%3b")).isEqualTo(":/?*,;");
    assertThat(ContentTemplate.decodeReserved("%20%25%41%7E")).isEqualTo("%20%25%41%7E");
    assertThat(ContentTemplate.decodeReserved("no escapes")).isEqualTo("no escapes");
  }
}
