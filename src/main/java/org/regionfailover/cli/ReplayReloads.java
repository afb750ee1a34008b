package org.regionfailover.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.regionfailover.config.Setting;
import org.regionfailover.config.SettingsLoader;
import org.regionfailover.decide.FailoverPolicy;
import org.regionfailover.replay.Replay;

/**
 * The recorded reloads of a replay: each that changed a rule setting of the set replayed
 * gives the replay the rules with its new values, as the loop took them, except for the
 * settings given to the replay itself, which keep overriding the log. Notes each such
 * reload for the summary, so that a person knows which rules ran when.
 */
final class ReplayReloads implements Replay.Reloads {
  /** The settings a reload changes in a running loop's rules. */
  static final List<Setting> RULES = ReplayCommand.FROM_LOG.stream()
      .filter(Setting::reloadable).toList();

  private final Map<Setting, String> settings;
  private final Set<Setting> givenHere;
  private final Map<String, String> env;
  private final List<String> notes = new ArrayList<>();

  /**
   * {@code settings}: those the replay starts with; {@code givenHere}: those given to the
   * replay (a reload leaves them as given).
   */
  ReplayReloads(Map<Setting, String> settings, Set<Setting> givenHere, Map<String, String> env) {
    this.settings = new EnumMap<>(Setting.class);
    this.settings.putAll(settings);
    this.givenHere = Set.copyOf(givenHere);
    this.env = Map.copyOf(env);
  }

  @Override
  public Replay.Rules reload(Map<String, String> changes, long at) {
    List<String> taken = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Map<Setting, String> next = new EnumMap<>(Setting.class);
    next.putAll(settings);
    changes.forEach((variable, value) -> {
      Optional<Setting> s = Setting.byEnv(variable).filter(RULES::contains);
      if (s.isEmpty()) {
        return; // not a rule: what a replay leaves out anyway
      }
      if (givenHere.contains(s.get())) {
        kept.add(variable);
      } else {
        taken.add(variable + " " + (value == null ? "(default)" : value));
        if (value == null) {
          next.remove(s.get());
        } else {
          next.put(s.get(), value);
        }
      }
    });
    if (taken.isEmpty() && kept.isEmpty()) {
      return null;
    }
    String when = Instant.ofEpochSecond(0, at).toString();
    notes.add(when + (taken.isEmpty() ? "" : " " + String.join(", ", taken))
        + (kept.isEmpty() ? "" : (taken.isEmpty() ? " " : "; ") + String.join(", ", kept)
            + " kept as given here"));
    if (taken.isEmpty()) {
      return null;
    }
    SettingsLoader loader = ReplayCommand.loader(next, env);
    loader.validateAll();
    settings.clear();
    settings.putAll(next);
    return new Replay.Rules(new FailoverPolicy(loader.load().order(), loader.policy()),
        loader.regionProbe().enabled());
  }

  /** For the summary: the reloads that changed the rules, or empty. */
  String summary() {
    return notes.isEmpty() ? "" : System.lineSeparator() + "reloads: " + notes.size()
        + " in the log changed rule settings, each taken from its time on (after a switch in"
        + " progress, as the loop took it): " + String.join("; ", notes);
  }
}
