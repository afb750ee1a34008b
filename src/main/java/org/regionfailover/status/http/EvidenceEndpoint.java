package org.regionfailover.status.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.regionfailover.probe.EvidenceAggregator;
import org.regionfailover.probe.TrafficCounts;

/**
 * {@code POST /evidence} and {@code POST /set/NAME/evidence} (issue 27): the applications
 * report their calls since their previous report, e.g.
 * {@code {"region":"EU","ok":120,"errors":{"refused":3,"timeout":1,"503":2}}}. Not an
 * operator's command, so not behind the htpasswd guard: loopback clients only, with the
 * bearer token when one is configured (compared in constant time; no bcrypt, reports come
 * many times a second), and no browser (a request with {@code Origin} is refused). The
 * work per report is bounded: the rate check first, then a parse of at most
 * {@link StatusServer#MAX_BODY} bytes and a few atomic adds; nothing waits on the loop.
 */
public final class EvidenceEndpoint {
  /** A count above this in one report is a client's bug, not calls since its last report. */
  static final long MAX_COUNT = 1_000_000;
  static final String ALLOWED = "expected JSON {\"region\":\"NAME\",\"ok\":N,\"errors\":"
      + "{\"CLASS\":N,...}}: region one of the set's regions, ok and every count a whole"
      + " number from 0 to " + MAX_COUNT + "; the classes that count are "
      + String.join(", ", TrafficCounts.UNREACHABLE) + ", any other is ignored";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ServedSets sets;
  private final byte[] token;

  /** For {@code sets}; {@code token}: the bearer token required, empty for none. */
  public EvidenceEndpoint(ServedSets sets, Optional<String> token) {
    this.sets = sets;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  /** Adds {@code /evidence} and {@code /set/NAME/evidence}, both open POSTs. */
  public Routes.Builder register(Routes.Builder routes) {
    return routes.openPost("/evidence", this::single)
        .openPostAround("/set/", "/evidence", this::ofSet);
  }

  private Reply single(Request r) {
    Reply refused = refusal(r);
    if (refused != null) {
      return refused;
    }
    Optional<ServedSet> set = sets.single();
    if (set.isEmpty()) {
      return Reply.text(409, "this process runs several failover sets (" + sets.names()
          + "): POST /set/NAME/evidence for the set whose calls these are");
    }
    return report(set.get(), r);
  }

  private Reply ofSet(Request r) {
    Reply refused = refusal(r);
    if (refused != null) {
      return refused;
    }
    Optional<ServedSet> set = sets.find(r.rest());
    return set.isEmpty() ? sets.unknown(r.rest()) : report(set.get(), r);
  }

  /** Who may report: checked before anything else is looked at. */
  private Reply refusal(Request r) {
    if (!loopback(r.remoteAddress())) {
      return Reply.text(403, "evidence is taken from loopback clients only");
    }
    if (r.header("Origin").isPresent()) {
      // Browsers send Origin on every cross-site POST; applications never do.
      return Reply.text(403, "evidence is not taken from a browser (Origin header)");
    }
    if (token != null && !tokenMatches(r.header("Authorization"))) {
      return Reply.text(401, "a bearer token is required: Authorization: Bearer TOKEN, the"
          + " content of --evidence-token-file").withHeader("WWW-Authenticate",
          "Bearer realm=\"region-failover\"");
    }
    return null;
  }

  private boolean tokenMatches(Optional<String> header) {
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = header.get().substring(7).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, token);
  }

  private static boolean loopback(String address) {
    try {
      // A literal address (the socket's peer): no name is resolved.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private Reply report(ServedSet set, Request r) {
    EvidenceAggregator aggregator = set.evidence();
    if (aggregator == null) {
      return Reply.text(404, "set " + set.name() + " takes no evidence: its --traffic-source"
          + " has no endpoint");
    }
    if (!aggregator.admit()) {
      return Reply.text(429, "too many reports this second; this one is dropped and counted")
          .withHeader("Retry-After", "1");
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(r.body());
    } catch (JsonProcessingException e) {
      return bad("the body is not JSON");
    }
    if (body == null || !body.isObject()) {
      return bad("the body is not a JSON object");
    }
    JsonNode region = body.get("region");
    List<String> names = set.order().stream().map(x -> x.name()).toList();
    if (region == null || !region.isTextual() || !names.contains(region.asText())) {
      return bad("region " + (region == null ? "is missing" : shown(region)
          + " is not one of " + names));
    }
    JsonNode ok = body.get("ok");
    if (!count(ok)) {
      return bad("ok " + (ok == null ? "is missing" : shown(ok) + " is not a count"));
    }
    JsonNode errors = body.get("errors");
    Map<String, Long> unreachable = new HashMap<>();
    long ignored = 0;
    if (errors != null && !errors.isNull()) {
      if (!errors.isObject()) {
        return bad("errors is not an object of class: count");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!count(e.getValue())) {
          return bad("errors." + org.regionfailover.config.ConfigException.shown(e.getKey())
              + " " + shown(e.getValue()) + " is not a count");
        }
        if (TrafficCounts.UNREACHABLE.contains(e.getKey())) {
          unreachable.merge(e.getKey(), e.getValue().longValue(), Long::sum);
        } else {
          ignored += e.getValue().longValue();
        }
      }
    }
    aggregator.add(region.asText(), ok.longValue(), unreachable, ignored);
    return new Reply(204, Reply.TEXT, Map.of(), new byte[0]);
  }

  private static boolean count(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong() && n.longValue() >= 0
        && n.longValue() <= MAX_COUNT;
  }

  private static String shown(JsonNode n) {
    return org.regionfailover.config.ConfigException.shown(n.toString());
  }

  private static Reply bad(String what) {
    return Reply.text(400, what + "; " + ALLOWED);
  }
}
