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

  /** The provider table's rows, each split into its cells (a {@code \\|} inside a cell is text). */
  private static List<List<String>> readmeRows() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    int start = lines.indexOf("## Providers");
    List<List<String>> rows = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      String line = lines.get(i);
      if (line.startsWith("| `")) {
        String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1);
        rows.add(java.util.Arrays.stream(cells).map(String::strip).toList());
      }
    }
    return rows;
  }

  private static java.util.Map<WebhookScheme, String> constantNames() throws IllegalAccessException {
    java.util.Map<WebhookScheme, String> names = new java.util.HashMap<>();
    for (Field field : Providers.class.getDeclaredFields()) {
      if (Modifier.isPublic(field.getModifiers()) && field.getType() == WebhookScheme.class) {
        names.put((WebhookScheme) field.get(null), field.getName());
      }
    }
    return names;
  }

  /**
   * What the table says of each scheme is what the code does: the constant it names holds that
   * scheme, "Window" is {@code none} exactly for schemes without a timestamp, "Id signed?" is
   * {@code yes} exactly for schemes whose event id is signed; and the counts the README gives are
   * the number of built-ins.
   */
  @Test
  void theReadmeProviderTableAgreesWithTheCode() throws Exception {
    java.util.Map<WebhookScheme, String> constants = constantNames();
    List<List<String>> rows = readmeRows();
    assertThat(rows).hasSameSizeAs(Providers.all());
    for (List<String> row : rows) {
      assertThat(row).as("cells of %s", row.get(0)).hasSize(7);
      String id = row.get(0).substring(1, row.get(0).indexOf('`', 1));
      WebhookScheme scheme = Providers.byId(id).orElseThrow();
      java.util.regex.Matcher constant = java.util.regex.Pattern.compile("\\(`([A-Z0-9_]+)`").matcher(row.get(0));
      if (constant.find()) {
        assertThat(constant.group(1)).as(id).isEqualTo(constants.get(scheme));
      }
      assertThat(row.get(4).equals("none")).as("%s window \"%s\"", id, row.get(4)).isEqualTo(!scheme.hasTimestamp());
      assertThat(row.get(6).startsWith("yes")).as("%s id signed \"%s\"", id, row.get(6))
          .isEqualTo(scheme.signsEventId());
    }
    String readme = Files.readString(Path.of("..", "README.md"));
    int count = Providers.all().size();
    // "Stripe, GitHub, Slack, Shopify, Twilio, Standard Webhooks/Svix and N more senders": six named.
    assertThat(readme).contains("Standard Webhooks/Svix and " + (count - 6) + " more senders")
        .contains("verification for " + count + " senders");
  }
}
