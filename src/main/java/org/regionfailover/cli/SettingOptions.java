package org.regionfailover.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.regionfailover.config.FileConfigSource;
import org.regionfailover.config.Setting;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParseResult;

/**
 * Builds picocli options from the {@link Setting} registry, and reads them back.
 *
 * <p>Every command that reads settings accepts all of them: operators
 * pass the same flags and {@code --config} to {@code status}, {@code reload} and
 * {@code check} as to the loop; {@code check}, {@code reload} and {@code replay} validate
 * every one of them as the loop does, {@code status} reads only the listener's. A command's help
 * shows only those it reads, grouped as the README groups them; the others are hidden, and
 * the help says what the command does with them ({@link #hiddenNote}).
 */
final class SettingOptions {
  private SettingOptions() {}

  /** The option naming the settings file. */
  static final String CONFIG = "--config";

  /** Adds {@code --config} and one option per setting to the loop's own {@code spec}. */
  static void addTo(CommandSpec spec) {
    addTo(spec, EnumSet.allOf(Setting.class), EnumSet.of(Setting.FAILOVER_LIST));
  }

  /**
   * Adds {@code --config} and one option per setting to {@code spec}; its help lists those
   * of {@code shown}, grouped, and says "Required." of those of {@code required}.
   */
  static void addTo(CommandSpec spec, Collection<Setting> shown, Collection<Setting> required) {
    Set<Setting> visible = shown.isEmpty() ? EnumSet.noneOf(Setting.class) : EnumSet.copyOf(shown);
    spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(File.class).arity("1")
        .description("Settings file: KEY=VALUE lines keyed by the environment variables named"
            + " below (# comments, optional export and quotes); an unknown key is an error."
            + " Its sets directory (--sets-dir) holds one NAME.env per failover set. Env: "
            + FileConfigSource.CONFIG_ENV + ".")
        .build());
    for (Setting s : Setting.values()) {
      if (s.hasFlag()) {
        spec.addOption(option(s, visible.contains(s), required.contains(s)));
      }
    }
    UsageMessageSpec usage = spec.usageMessage();
    // Sixty options do not make a synopsis: the grouped list below is where they are.
    usage.abbreviateSynopsis(true);
    Map<String, picocli.CommandLine.IHelpSectionRenderer> sections =
        new LinkedHashMap<>(usage.sectionMap());
    List<Setting> envOnly = visible.stream().filter(s -> !s.hasFlag()).toList();
    sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> optionList(help, envOnly));
    usage.sectionMap(sections);
  }

  private static OptionSpec option(Setting s, boolean visible, boolean required) {
    String help = s.description() + (required ? " Required." : "") + " Env: " + s.env()
        + s.defaultValue().map(d -> "; default: " + d).orElse("") + ".";
    OptionSpec.Builder b = OptionSpec.builder(s.names().toArray(String[]::new))
        .paramLabel(s.paramLabel())
        // A file: the completion script then completes file names (picocli completes those
        // of File options); the value is read back as typed (values()).
        .type(FILES.contains(s.paramLabel()) ? File.class : String.class)
        .completionCandidates(CHOICES.get(s))
        .hidden(!visible)
        // picocli formats help text with String.format: a literal % must be doubled.
        .description(help.replace("%", "%%"));
    if (s.isBoolean()) {
      b.arity("0..1").fallbackValue("true");
    } else {
      b.arity("1");
    }
    return b.build();
  }

  /**
   * Adds one option per setting of {@code settings}, shown, and no {@code --config}: for a
   * command that takes those settings and refuses every other (the demo's console ones).
   */
  static void addOnly(CommandSpec spec, List<Setting> settings) {
    for (Setting s : settings) {
      spec.addOption(option(s, true, false));
    }
  }

  /** The labels of the settings that name a file or a directory. */
  private static final Set<String> FILES = Set.of("PATH", "DIR");
  /** The values the completion script offers for the settings that take a word. */
  private static final Map<Setting, List<String>> CHOICES = choices();

  private static Map<Setting, List<String>> choices() {
    Map<Setting, List<String>> out = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (s.isBoolean()) {
        out.put(s, List.of("true", "false"));
      }
    }
    // Not --traffic-veto's on/off: picocli's script names its lists by the label, and
    // MODE is --failback's too.
    out.put(Setting.FAILBACK, List.of("auto", "manual", "off"));
    out.put(Setting.ROLE, List.of("fleet", "active-standby"));
    out.put(Setting.LOG_FORMAT, List.of("auto", "json", "text"));
    return out;
  }

  /** The setting an option stands for, if it stands for one. */
  static Optional<Setting> setting(OptionSpec option) {
    for (Setting s : Setting.values()) {
      if (s.hasFlag() && s.flag().equals(option.longestName())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** How the help and the man page head a group: as the README's headings. */
  static String heading(Setting.Group group) {
    String name = group.name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /**
   * The command's visible options in the order its help lists them: its own (help,
   * version, its switches, {@code --config}) under the empty heading, then the settings
   * by group.
   */
  static Map<String, List<OptionSpec>> sections(CommandSpec spec) {
    Map<String, List<OptionSpec>> out = new LinkedHashMap<>();
    out.put("", new ArrayList<>());
    Map<Setting.Group, List<OptionSpec>> groups = new EnumMap<>(Setting.Group.class);
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      Optional<Setting> s = setting(o);
      if (s.isPresent()) {
        groups.computeIfAbsent(s.get().group(), g -> new ArrayList<>()).add(o);
      } else {
        out.get("").add(o);
      }
    }
    groups.forEach((g, options) -> out.put(heading(g), options));
    return out;
  }

  /** Whether {@code spec} accepts settings it does not show. */
  static boolean hidesSettings(CommandSpec spec) {
    return spec.options().stream().anyMatch(o -> o.hidden() && setting(o).isPresent());
  }

  private static final String ACCEPTED = "Every other setting of the loop (region-failover"
      + " help) is accepted too, ";
  /** What each command does with the settings it accepts but does not show. */
  private static final Map<String, String> HIDDEN_NOTES = Map.of(
      "check", ACCEPTED + "and validated as the loop validates it (check vouches for the"
          + " loop's whole configuration), but not used.",
      "reload", ACCEPTED + "and validated as the running process will read it: settings it"
          + " would reject are not worth a signal.",
      "replay", ACCEPTED + "and validated as the loop validates it, but not used: such"
          + " settings describe the recording's host, which a replay does not touch.");

  /**
   * The note under a command's options when it accepts settings it does not show: by
   * default they are only accepted, so that the loop's flags and --config can be given as
   * they are (status reads the listener's settings alone, and an operator's shell need not
   * be able to read the loop's secrets).
   */
  static String hiddenNote(CommandSpec spec) {
    return HIDDEN_NOTES.getOrDefault(spec.name(), ACCEPTED + "so that the loop's flags and"
        + " --config can be given as they are, and not used.");
  }

  private static String optionList(Help help, List<Setting> envOnly) {
    CommandSpec spec = help.commandSpec();
    List<OptionSpec> visible = spec.options().stream().filter(o -> !o.hidden()).toList();
    StringBuilder out = new StringBuilder();
    sections(spec).forEach((heading, options) -> {
      if (options.isEmpty()) {
        return;
      }
      out.append(help.createHeading("%n" + (heading.isEmpty() ? "Options" : heading) + ":%n"));
      // One layout per group, each as wide as for all options: the columns line up.
      Help.Layout layout = help.createDefaultLayout(visible, spec.positionalParameters(),
          help.colorScheme());
      out.append(help.optionListExcludingGroups(options, layout, null,
          help.parameterLabelRenderer()));
    });
    if (!envOnly.isEmpty()) {
      int width = spec.usageMessage().width();
      int name = envOnly.stream().mapToInt(s -> s.env().length()).max().orElse(0) + 4;
      Help.TextTable table = Help.TextTable.forColumns(help.colorScheme(),
          new Help.Column(name, 2, Help.Column.Overflow.SPAN),
          new Help.Column(width - name, 0, Help.Column.Overflow.WRAP));
      envOnly.forEach(s -> table.addRowValues(s.env(), s.description()));
      out.append(help.createHeading("%nEnvironment only:%n")).append(table);
    }
    if (hidesSettings(spec)) {
      Help.TextTable note = Help.TextTable.forColumns(help.colorScheme(),
          new Help.Column(spec.usageMessage().width(), 0, Help.Column.Overflow.WRAP));
      note.indentWrappedLines = 0;
      note.addRowValues(hiddenNote(spec));
      out.append(help.createHeading("%n")).append(note);
    }
    return out.toString();
  }

  /** The {@code --config} value given, or null. */
  static String config(ParseResult pr) {
    return typed(pr, CONFIG);
  }

  /** The value of the option {@code name} as typed (its last, if repeated), or null. */
  private static String typed(ParseResult pr, String name) {
    OptionSpec o = pr.matchedOption(name);
    if (o == null) {
      return null;
    }
    List<String> typed = o.stringValues();
    return typed.isEmpty() ? o.getValue() : typed.get(typed.size() - 1);
  }

  /** The values given on the command line. */
  static Map<Setting, String> values(ParseResult pr) {
    Map<Setting, String> out = new EnumMap<>(Setting.class);
    for (Setting s : Setting.values()) {
      if (!s.hasFlag()) {
        continue;
      }
      String v = typed(pr, s.flag());
      if (v != null) {
        out.put(s, v);
      }
    }
    return out;
  }
}
