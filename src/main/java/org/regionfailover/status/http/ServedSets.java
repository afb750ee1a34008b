package org.regionfailover.status.http;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The failover sets the status server answers for, ordered by name. A reload may add or
 * remove one while the server runs; every request reads the sets as they are then.
 */
public final class ServedSets {
  private final ConcurrentSkipListMap<String, ServedSet> sets = new ConcurrentSkipListMap<>();

  /** No set yet. */
  public ServedSets() {}

  /** {@code sets}, whose names differ. */
  public ServedSets(Collection<ServedSet> sets) {
    sets.forEach(this::add);
  }

  /** Adds {@code set}; a name taken twice is a programming error. */
  public ServedSets add(ServedSet set) {
    if (sets.putIfAbsent(set.name(), set) != null) {
      throw new IllegalArgumentException("set " + set.name() + " is served already");
    }
    return this;
  }

  /** Removes the set named {@code name}; whether there was one. */
  public boolean remove(String name) {
    return sets.remove(name) != null;
  }

  /** Every set, by name. */
  public List<ServedSet> all() {
    return List.copyOf(sets.values());
  }

  /** The set named {@code name}, exactly. */
  public Optional<ServedSet> find(String name) {
    return Optional.ofNullable(sets.get(name));
  }

  /** The one set when there is exactly one: the paths without a set answer for it. */
  public Optional<ServedSet> single() {
    List<ServedSet> all = all();
    return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
  }

  /** The names, comma-separated, for messages. */
  public String names() {
    return String.join(", ", sets.keySet());
  }

  /**
   * The answer to a path that names set {@code name} when there is no such set: 404 with
   * the sets there are.
   */
  /**
   * A path below {@code /set/} ({@code r}'s rest: {@code NAME} or {@code NAME/MORE}) handed
   * to {@code then} with its set and {@code MORE} ({@code ""} when none); an unknown set is
   * 404 naming the sets.
   */
  Reply ofSet(Request r, java.util.function.BiFunction<ServedSet, String, Reply> then) {
    int slash = r.rest().indexOf('/');
    String name = slash < 0 ? r.rest() : r.rest().substring(0, slash);
    Optional<ServedSet> set = find(name);
    return set.isEmpty() ? unknown(name)
        : then.apply(set.get(), slash < 0 ? "" : r.rest().substring(slash + 1));
  }

  Reply unknown(String name) {
    return Reply.text(404, "no set '" + org.regionfailover.config.ConfigException.shown(name)
        + "'; the sets are " + (sets.isEmpty() ? "(none yet)" : names()));
  }
}
