package org.regionfailover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The renders in the repository match their sources: each {@code diagrams/x.puml} is
 * rendered again and compared with the committed {@code diagrams/x.svg}.
 *
 * <p>How, and why not byte for byte: PlantUML writes the source it rendered into the SVG
 * ({@code <?plantuml-src ...?>}, the deflated source) next to its version
 * ({@code <?plantuml 1.2026.9?>}). Those two are a pure function of the .puml text and the
 * pinned PlantUML version, so comparing them proves the SVG was rendered from exactly the
 * current source. The drawing itself also depends on the fonts of the machine (text widths
 * come from Java2D metrics), so the rest of the SVG is compared with its numbers and path
 * geometry masked: same elements, same texts, same styles, in the same order. On one
 * machine the render is byte-identical run after run; the masking only keeps another
 * machine's fonts from failing the build.
 */
class DiagramsUpToDateTest {
  private static final Path DIR = Path.of("diagrams");
  private static final String FIX =
      "; refresh the renders with: ./mvnw -B -q -Pdiagrams process-test-classes";
  private static final Pattern SRC = Pattern.compile("<\\?plantuml-src ([^?]*)\\?>");
  private static final Pattern VERSION = Pattern.compile("<\\?plantuml ([^?]*)\\?>");

  @Test
  void everySource_hasItsRender_andEveryRender_hasItsSource() throws Exception {
    List<Path> sources = DiagramRenderer.sources(DIR);
    assertThat(sources).extracting(p -> p.getFileName().toString())
        .contains("architecture.puml", "components.puml", "flowchart.puml");
    for (Path puml : sources) {
      assertThat(DiagramRenderer.svgOf(puml)).as("render of " + puml + FIX).exists();
    }
    try (var svgs = Files.newDirectoryStream(DIR, "*.svg")) {
      for (Path svg : svgs) {
        String name = svg.getFileName().toString();
        assertThat(svg.resolveSibling(name.replace(".svg", ".puml")))
            .as(svg + " has no source").exists();
      }
    }
  }

  @Test
  void committedSvg_wasRenderedFromTheCurrentSource() throws Exception {
    for (Path puml : DiagramRenderer.sources(DIR)) {
      String fresh = DiagramRenderer.render(Files.readString(puml, StandardCharsets.UTF_8));
      String committed = Files.readString(DiagramRenderer.svgOf(puml), StandardCharsets.UTF_8);
      assertThat(one(SRC, committed)).as(puml + ": source embedded in the committed SVG" + FIX)
          .isEqualTo(one(SRC, fresh));
      assertThat(one(VERSION, committed)).as(puml + ": PlantUML version of the render" + FIX)
          .isEqualTo(one(VERSION, fresh));
      assertThat(masked(committed)).as(puml + ": drawing of the committed SVG" + FIX)
          .isEqualTo(masked(fresh));
    }
  }

  @Test
  void diagramsWithGraphLayout_useSmetana_soNoGraphvizIsNeeded() throws Exception {
    for (Path puml : DiagramRenderer.sources(DIR)) {
      String source = Files.readString(puml, StandardCharsets.UTF_8);
      String svg = Files.readString(DiagramRenderer.svgOf(puml), StandardCharsets.UTF_8);
      // Activity diagrams (the flowchart) have their own layout; the others need Smetana.
      if (!svg.contains("data-diagram-type=\"ACTIVITY\"")) {
        assertThat(source).as(puml.toString()).contains("!pragma layout smetana");
      }
      assertThat(svg).as(puml + " rendered without errors").doesNotContain("Syntax Error")
          .doesNotContain("Dot executable");
    }
  }

  private static String one(Pattern p, String svg) {
    Matcher m = p.matcher(svg);
    assertThat(m.find()).as("SVG has " + p.pattern()).isTrue();
    return m.group(1);
  }

  /** The SVG without what depends on font metrics: numbers and path geometry. */
  static String masked(String svg) {
    return svg.replaceAll("\\b(d|points)=\"[^\"]*\"", "$1=\"…\"")
        .replaceAll("-?\\d+(\\.\\d+)?", "#");
  }
}
