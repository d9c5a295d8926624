package io.hookguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookguard.Providers;
import io.hookguard.WebhookScheme;
import io.hookguard.spring.boot3.HookguardRedisHealthBoot3AutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;

/**
 * The metadata the starter ships for IDEs and for Boot's early condition filtering: what an
 * application sees when it types {@code hookguard.} and what Boot reads before loading a class.
 */
class ConfigurationMetadataTest {
  private static final Pattern MARKUP = Pattern.compile("\\{@\\w+|</?[a-zA-Z]+[ >/]");

  @Test
  void theProviderHintsListExactlyTheBuiltInSchemeIds() throws IOException {
    List<Object> values = hint(metadata(), "hookguard.endpoints.*.provider");
    List<String> hinted = values.stream().map(value -> (String) ((Map<?, ?>) value).get("value")).toList();
    List<String> builtIn = new ArrayList<>(Providers.all().stream().map(WebhookScheme::id).toList());
    builtIn.add("svix");
    builtIn.add("google-id-token"); // made per endpoint (its audience), not a constant
    assertThat(hinted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(builtIn);
    assertThat(values).allSatisfy(value -> assertThat((String) ((Map<?, ?>) value).get("description")).isNotBlank());
    assertThat(hinted).filteredOn(id -> !id.equals("google-id-token"))
        .allSatisfy(id -> assertThat(Providers.byId(id)).as(id).isPresent());
  }

  @Test
  void everyEnumSettingHintsExactlyItsValuesWithDescriptions() throws Exception {
    Map<String, Object> metadata = metadata();
    Map<String, Class<?>> enumSettings = new java.util.TreeMap<>();
    for (Object item : list(metadata.get("properties"))) {
      Map<?, ?> property = (Map<?, ?>) item;
      Object type = property.get("type");
      if (type instanceof String name && name.startsWith("io.hookguard") && Class.forName(name).isEnum()) {
        enumSettings.put((String) property.get("name"), Class.forName(name));
      }
    }
    // Settings of each endpoint live in a map, so the generated metadata does not list them.
    enumSettings.put("hookguard.endpoints.*.missing-event-id", HookguardProperties.MissingEventIdPolicy.class);
    enumSettings.put("hookguard.endpoints.*.unexpected-event-type", HookguardProperties.UnexpectedEventTypePolicy.class);
    assertThat(enumSettings).containsKeys("hookguard.dedup.store", "hookguard.dedup.on-outage", "hookguard.proxies.headers");

    enumSettings.forEach((name, type) -> {
      List<Object> values = hint(metadata, name);
      assertThat(values.stream().map(value -> (String) ((Map<?, ?>) value).get("value"))).as(name)
          .containsExactlyInAnyOrderElementsOf(Stream.of(type.getEnumConstants())
              .map(constant -> ((Enum<?>) constant).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
      assertThat(values).as(name).allSatisfy(value ->
          assertThat((String) ((Map<?, ?>) value).get("description")).isNotBlank());
    });
  }

  @Test
  void descriptionsAreTextWithoutJavadocMarkup() throws IOException {
    Map<String, Object> metadata = metadata();
    List<String> descriptions = Stream.of("groups", "properties", "hints")
        .flatMap(section -> list(metadata.get(section)).stream())
        .flatMap(item -> Stream.concat(Stream.of(item), list(((Map<?, ?>) item).get("values")).stream()))
        .map(item -> (String) ((Map<?, ?>) item).get("description"))
        .filter(description -> description != null)
        .toList();
    assertThat(descriptions).hasSizeGreaterThan(20)
        .allSatisfy(description -> assertThat(MARKUP.matcher(description).find()).as(description).isFalse());
    assertThat(list(metadata.get("properties")).stream().map(property -> (String) ((Map<?, ?>) property).get("name")))
        .contains("hookguard.endpoints", "hookguard.dedup.store", "hookguard.proxies.trusted");
  }

  @Test
  void everyAutoConfigurationHasGeneratedConditionMetadataOnBothBootLines() throws IOException {
    assertThat(autoConfigurationMetadataCovers(HookguardAutoConfiguration.class)).isTrue();
    assertThat(autoConfigurationMetadataCovers(HookguardRedisHealthBoot3AutoConfiguration.class)).isTrue();
  }

  /** Whether every class in the jar's AutoConfiguration.imports has an entry in its generated metadata. */
  private static boolean autoConfigurationMetadataCovers(Class<?> inJar) throws IOException {
    Properties metadata = new Properties();
    try (InputStream in = beside(inJar, "META-INF/spring-autoconfigure-metadata.properties")) {
      metadata.load(in);
    }
    String imports;
    try (InputStream in = beside(inJar, "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      imports = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<String> classes = imports.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
    assertThat(classes).isNotEmpty().contains(inJar.getName());
    assertThat(metadata.stringPropertyNames()).as("metadata of %s", inJar).containsAll(classes);
    return true;
  }

  private static Map<String, Object> metadata() throws IOException {
    try (InputStream in = beside(HookguardProperties.class, "META-INF/spring-configuration-metadata.json")) {
      return JsonParserFactory.getJsonParser().parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static List<Object> hint(Map<String, Object> metadata, String name) {
    return list(metadata.get("hints")).stream().map(hint -> (Map<?, ?>) hint)
        .filter(hint -> name.equals(hint.get("name"))).findFirst()
        .map(hint -> list(hint.get("values"))).orElseThrow(() -> new AssertionError("no hint for " + name));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }

  /** A resource of the jar (or classes folder) that holds {@code type}, not of another jar's same path. */
  private static InputStream beside(Class<?> type, String path) throws IOException {
    String self = type.getName().replace('.', '/') + ".class";
    String location = type.getClassLoader().getResource(self).toString();
    return URI.create(location.substring(0, location.length() - self.length()) + path).toURL().openStream();
  }
}
