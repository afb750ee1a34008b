package org.regionfailover.report.datadog;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what a WireMock Datadog intake received. */
final class Intake {
  static final String PATH = "/api/v2/logs";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Intake() {}

  /** Every POST to the logs path, oldest first. */
  static List<LoggedRequest> posts(WireMockServer server) {
    return server.findAll(postRequestedFor(urlEqualTo(PATH)));
  }

  /** The items of one request (WireMock has already gunzipped the body). */
  static List<Map<String, Object>> items(LoggedRequest request) {
    try {
      return JSON.readValue(request.getBody(), new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The items of every request, in order. */
  static List<Map<String, Object>> allItems(WireMockServer server) {
    List<Map<String, Object>> all = new ArrayList<>();
    for (LoggedRequest request : posts(server)) {
      all.addAll(items(request));
    }
    return all;
  }

  /** The messages of every item received, in order. */
  static List<Object> messages(WireMockServer server) {
    return allItems(server).stream().map(item -> item.get("message")).toList();
  }
}
