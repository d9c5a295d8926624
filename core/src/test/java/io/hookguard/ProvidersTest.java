package io.hookguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-ins: every constant is listed, found by its id, and has its row in the README. */
class ProvidersTest {

  private static List<WebhookScheme> constants() throws IllegalAccessException {
    List<WebhookScheme> constants = new ArrayList<>();
    for (Field field : Providers.class.getDeclaredFields()) {
      int modifiers = field.getModifiers();
      if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == WebhookScheme.class) {
        constants.add((WebhookScheme) field.get(null));
      }
    }
    return constants;
  }

  @Test
  void everyConstantIsListedOnceAndFoundByItsId() throws IllegalAccessException {
    assertThat(Providers.all()).containsExactlyInAnyOrderElementsOf(constants());
    assertThat(Providers.all()).extracting(WebhookScheme::id).doesNotHaveDuplicates();
    for (WebhookScheme scheme : Providers.all()) {
      assertThat(Providers.byId(scheme.id())).containsSame(scheme);
    }
    assertThat(Providers.byId("svix")).containsSame(Providers.STANDARD_WEBHOOKS);
    assertThat(Providers.byId("nope")).isEmpty();
  }

  @Test
  void everyBuiltInHasItsRowInTheReadmeProviderTable() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int start = lines.indexOf("## Providers");
    assertThat(start).as("the README's provider section").isNotNegative();
    List<String> documented = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| `")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertThat(documented).containsExactlyInAnyOrderElementsOf(
        Providers.all().stream().map(WebhookScheme::id).toList());
  }
}
