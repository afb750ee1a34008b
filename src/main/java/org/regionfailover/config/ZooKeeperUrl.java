package org.regionfailover.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code zookeeper://host:port[,host:port...][/chroot]}, parsed: the ensemble's servers and
 * the chroot ("" for none). Every server needs its port: ZooKeeper's default (2181) would
 * hide a typo in a list.
 */
public record ZooKeeperUrl(List<HostPort> servers, String chroot) {
  private static final Pattern SERVER =
      Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)]|([A-Za-z0-9.-]+)):([0-9]{1,5})");
  private static final Pattern CHROOT = Pattern.compile("(/[A-Za-z0-9._-]+)+");
  private static final String ALLOWED = "expected none or zookeeper://host:port[,host:port...]"
      + "[/chroot], e.g. zookeeper://zk1:2181,zk2:2181,zk3:2181/region-failover";

  public static ZooKeeperUrl parse(String setting, String url) {
    if (!url.startsWith("zookeeper://")) {
      throw ConfigException.badValue(setting, url, ALLOWED);
    }
    String rest = url.substring("zookeeper://".length());
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String chroot = slash < 0 ? "" : rest.substring(slash);
    if (!chroot.isEmpty() && !CHROOT.matcher(chroot).matches()) {
      throw ConfigException.badValue(setting, url, "the chroot " + chroot + " is not a"
          + " ZooKeeper path (/name/name, letters, digits, . _ -); " + ALLOWED);
    }
    List<HostPort> servers = new ArrayList<>();
    for (String s : hosts.split(",", -1)) {
      Matcher m = SERVER.matcher(s.strip());
      if (!m.matches()) {
        throw ConfigException.badValue(setting, url, "server '" + s + "' is not host:port; "
            + ALLOWED);
      }
      int port = Integer.parseInt(m.group(3));
      if (port < 1 || port > 65535) {
        throw ConfigException.badValue(setting, url, "port " + port + " of " + s
            + " is not 1-65535");
      }
      servers.add(new HostPort(m.group(1) != null ? m.group(1) : m.group(2), port));
    }
    return new ZooKeeperUrl(servers, chroot);
  }
}
