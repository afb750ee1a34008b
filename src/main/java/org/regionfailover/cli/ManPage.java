package org.regionfailover.cli;

import java.util.List;
import java.util.Map;
import org.regionfailover.config.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The manual page, region-failover(1), rendered as troff (the man macros) straight from the
 * command definitions that {@code --help} prints, so it cannot drift from them: one page, a
 * section per command.
 *
 * <p>Why by hand rather than picocli-codegen's ManPageGenerator: that writes AsciiDoc, and
 * turning AsciiDoc into troff takes Asciidoctor, i.e. AsciidoctorJ and the JRuby it runs on
 * (some 60 MB of build dependencies and seconds of JRuby start-up on every package build),
 * or asciidoctor installed on every build machine. The man macros this page needs are a
 * handful (.TH, .SH, .SS, .TP, .PP, .B, .I), and the escaping is three rules.
 */
final class ManPage {
  /** What the page is about, for NAME (which whatis and apropos read). */
  static final String SUMMARY =
      "supervise a host's region of an external cloud, and fail it over to the next region";

  private final CommandSpec root;
  private final String version;

  ManPage(CommandSpec root, String version) {
    this.root = root;
    this.version = version;
  }

  /** The page's troff source. */
  String render() {
    StringBuilder out = new StringBuilder();
    String name = root.name();
    // No date: the page of a build is the same bytes whenever it is built.
    out.append(".TH ").append(name.toUpperCase(java.util.Locale.ROOT)).append(" 1 \"\" \"")
        .append(escape(version)).append("\" \"User Commands\"\n");
    // Left-aligned and unhyphenated: option names and paths must read as typed.
    out.append(".ad l\n.nh\n");
    out.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(SUMMARY))
        .append('\n');
    out.append(".SH SYNOPSIS\n");
    out.append(".B ").append(escape(name)).append("\n[\\fIOPTIONS\\fR]\n.br\n");
    out.append(".B ").append(escape(name)).append("\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]\n");
    out.append(".SH DESCRIPTION\n");
    paragraphs(out, root.usageMessage().description());
    out.append(".SH OPTIONS\n");
    options(out, root, ".SS");
    exitCodes(out, root, ".SH", "EXIT STATUS");
    out.append(".SH COMMANDS\n");
    root.subcommands().forEach((subName, sub) -> command(out, sub.getCommandSpec()));
    out.append(".SH ENVIRONMENT\n.PP\n")
        .append(escape("Every option falls back to the environment variable its description"
            + " names (Env:), and every such variable may be a key of the settings file."
            + " These are read from the environment only:")).append('\n');
    for (Setting s : Setting.values()) {
      if (!s.hasFlag()) {
        out.append(".TP\n.B ").append(escape(s.env())).append('\n')
            .append(line(s.description())).append('\n');
      }
    }
    out.append(".SH FILES\n")
        .append(".TP\n.I /etc/region-failover/region-failover.env\n")
        .append("The settings file the packaged service is started with (--config).\n")
        .append(".TP\n.I /usr/share/doc/region-failover/README.md\n")
        .append("The full guide: every setting, the events, the status page, replay.\n");
    out.append(".SH SEE ALSO\n").append(".BR supervisord (1),\n.BR systemctl (1)\n");
    return out.toString();
  }

  private void command(StringBuilder out, CommandSpec spec) {
    out.append(".SS \"").append(escape(root.name() + " " + spec.name()))
        .append(synopsisTail(spec)).append("\"\n");
    paragraphs(out, spec.usageMessage().description());
    for (PositionalParamSpec p : spec.positionalParameters()) {
      out.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
      paragraphs(out, p.description(), false);
    }
    options(out, spec, ".PP\n.B");
    exitCodes(out, spec, ".PP\n.B", "Exit codes:");
  }

  private static String synopsisTail(CommandSpec spec) {
    StringBuilder tail = new StringBuilder();
    if (spec.options().size() > 0) {
      tail.append(" [OPTIONS]");
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      boolean optional = p.arity().min() == 0;
      boolean many = p.arity().max() > 1;
      tail.append(' ').append(optional ? "[" : "").append(p.paramLabel())
          .append(many ? "..." : "").append(optional ? "]" : "");
    }
    return escape(tail.toString());
  }

  /** The visible options, by group: each heading with {@code headingMacro}. */
  private static void options(StringBuilder out, CommandSpec spec, String headingMacro) {
    for (Map.Entry<String, List<OptionSpec>> section : SettingOptions.sections(spec).entrySet()) {
      if (section.getValue().isEmpty()) {
        continue;
      }
      String heading = section.getKey().isEmpty() ? "Options" : section.getKey();
      out.append(headingMacro).append(' ').append(escape(heading))
          .append(headingMacro.startsWith(".SS") ? "" : ":").append('\n');
      for (OptionSpec o : section.getValue()) {
        out.append(".TP\n").append(optionNames(o)).append('\n');
        paragraphs(out, o.description(), false);
      }
    }
    if (SettingOptions.hidesSettings(spec)) {
      out.append(".PP\n").append(escape(SettingOptions.hiddenNote(spec))).append('\n');
    }
  }

  private static String optionNames(OptionSpec o) {
    StringBuilder names = new StringBuilder();
    for (String n : o.names()) {
      if (names.length() > 0) {
        names.append(", ");
      }
      names.append("\\fB").append(escape(n)).append("\\fR");
    }
    if (o.arity().max() > 0) {
      boolean optional = o.arity().min() == 0;
      names.append(optional ? "[=" : "=").append("\\fI").append(escape(o.paramLabel()))
          .append("\\fR").append(optional ? "]" : "");
    }
    return names.toString();
  }

  private static void exitCodes(StringBuilder out, CommandSpec spec, String headingMacro,
      String heading) {
    Map<String, String> codes = spec.usageMessage().exitCodeList();
    if (codes.isEmpty()) {
      return;
    }
    out.append(headingMacro).append(' ').append(escape(heading)).append('\n');
    codes.forEach((code, meaning) -> out.append(".TP\n.B ").append(escape(code.strip()))
        .append('\n').append(line(helpText(meaning))).append('\n'));
  }

  private static void paragraphs(StringBuilder out, String[] text) {
    paragraphs(out, text, true);
  }

  /**
   * Lines of help text, a paragraph each (--help starts each on a new line); the first
   * opens one only when {@code opening} (under .TP it continues the item).
   */
  private static void paragraphs(StringBuilder out, String[] text, boolean opening) {
    boolean first = true;
    for (String t : text) {
      if (t.isEmpty()) {
        continue;
      }
      if (opening || !first) {
        out.append(opening ? ".PP\n" : ".IP\n");
      }
      first = false;
      out.append(line(helpText(t))).append('\n');
    }
  }

  /** picocli's help text is a format string: {@code %%} is a percent sign, {@code %n} a break. */
  private static String helpText(String text) {
    return text.replace("%%", "\u0000").replace("%n", " ").replace('\u0000', '%');
  }

  /** A text line: escaped, and guarded when it starts as a request would ({@code .} or {@code '}). */
  private static String line(String text) {
    String e = escape(text);
    return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
  }

  /**
   * Backslashes escaped, and hyphens made minus signs ({@code \-}), so that options print
   * as {@code --listen}, copy as typed, and are searchable.
   */
  static String escape(String text) {
    return text.replace("\\", "\\e").replace("-", "\\-");
  }
}
