package io.hookguard.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The BOM has no parent (so that it manages nothing but Hookguard), so nothing inherited keeps it
 * in step with the build: this test does — every published module listed, at the build's version.
 */
class BomTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void theBomListsEveryPublishedModuleAtTheBuildsVersion() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    String version = child(parent.getDocumentElement(), "version");
    List<String> published = new ArrayList<>();
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().strip();
      Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      boolean skipped = pom.getElementsByTagName("maven.deploy.skip").getLength() > 0;
      String packaging = child(pom, "packaging");
      if (!skipped && (packaging == null || packaging.equals("jar"))) {
        published.add(child(pom, "artifactId"));
      }
    }

    Element bom = read(ROOT.resolve("bom/pom.xml")).getDocumentElement();
    assertThat(child(bom, "version")).isEqualTo(version);
    assertThat(bom.getElementsByTagName("parent").getLength()).as("no parent: it would manage third-party versions").isZero();
    List<String> managed = new ArrayList<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element dependency = (Element) dependencies.item(i);
      assertThat(child(dependency, "groupId")).isEqualTo("io.hookguard");
      assertThat(child(dependency, "version")).isEqualTo(version);
      managed.add(child(dependency, "artifactId"));
    }
    assertThat(published).contains("hookguard-core", "hookguard-test", "hookguard-spring-boot-starter");
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
  }

  /**
   * What a consumer's build resolves through Hookguard's published poms: no Spring or Spring Boot
   * artifact reaches it from any module or the parent (so a Boot 3.5 application keeps its own
   * line's Spring, never Boot 4's). Spring dependencies are {@code provided}, {@code test} or
   * optional; Maven and Gradle leave all three out of a consumer's graph.
   */
  @Test
  void noPublishedPomHandsSpringToItsConsumers() throws Exception {
    Document parent = read(ROOT.resolve("pom.xml"));
    List<String> poms = new ArrayList<>(List.of("pom.xml"));
    NodeList modules = parent.getElementsByTagName("module");
    for (int i = 0; i < modules.getLength(); i++) {
      String module = modules.item(i).getTextContent().strip();
      Element pom = read(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement();
      if (pom.getElementsByTagName("maven.deploy.skip").getLength() == 0) {
        poms.add(module + "/pom.xml");
      }
    }
    List<String> leaks = new ArrayList<>();
    for (String path : poms) {
      Element project = read(ROOT.resolve(path)).getDocumentElement();
      Element dependencies = childElement(project, "dependencies");
      if (dependencies == null) {
        continue;
      }
      for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
        if (!(node instanceof Element dependency)) {
          continue;
        }
        String group = child(dependency, "groupId");
        String scope = child(dependency, "scope");
        boolean reachesConsumers = (scope == null || scope.equals("compile") || scope.equals("runtime"))
            && !"true".equals(child(dependency, "optional"));
        if (group != null && group.startsWith("org.springframework") && reachesConsumers) {
          leaks.add(path + ": " + group + ":" + child(dependency, "artifactId"));
        }
      }
    }
    assertThat(poms).contains("pom.xml", "spring-starter/pom.xml", "test-kit/pom.xml");
    assertThat(leaks).isEmpty();
  }

  private static Element childElement(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals(name)) {
        return child;
      }
    }
    return null;
  }

  private static Document read(Path pom) throws Exception {
    assertThat(Files.exists(pom)).as(pom.toString()).isTrue();
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  /** The text of a direct child element, or null. */
  private static String child(Element element, String name) {
    for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element child && child.getTagName().equals(name)) {
        return child.getTextContent().strip();
      }
    }
    return null;
  }
}
