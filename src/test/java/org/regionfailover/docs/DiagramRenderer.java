package org.regionfailover.docs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;

/**
 * Renders {@code diagrams/*.puml} to SVG with PlantUML's own layout (Smetana, no Graphviz).
 * The build's {@code diagrams} profile runs {@link #main} to refresh the committed SVGs;
 * {@code DiagramsUpToDateTest} renders the same way and compares.
 */
public final class DiagramRenderer {
  private DiagramRenderer() {}

  /** The SVG for a PlantUML source, as text. */
  public static String render(String source) throws IOException {
    SourceStringReader reader = new SourceStringReader(source);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.outputImage(out, new FileFormatOption(FileFormat.SVG));
    String svg = out.toString(StandardCharsets.UTF_8);
    if (!svg.contains("<svg") || svg.contains("Syntax Error?")) {
      throw new IOException("PlantUML could not render the diagram:\n" + svg);
    }
    return svg;
  }

  /** The .puml sources of a directory, sorted. */
  public static List<Path> sources(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.puml")) {
      ds.forEach(out::add);
    }
    out.sort(null);
    return out;
  }

  /** The committed render of a source: {@code x.puml} -> {@code x.svg}. */
  public static Path svgOf(Path puml) {
    String name = puml.getFileName().toString();
    return puml.resolveSibling(name.substring(0, name.length() - ".puml".length()) + ".svg");
  }

  /** Renders every source in {@code args[0]} (default {@code diagrams}) next to it. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "diagrams");
    for (Path puml : sources(dir)) {
      String svg = render(Files.readString(puml, StandardCharsets.UTF_8));
      Files.writeString(svgOf(puml), svg, StandardCharsets.UTF_8);
      System.out.println("rendered " + svgOf(puml));
    }
  }
}
