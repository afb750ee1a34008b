package org.regionfailover.report.datadog;

import com.datadog.api.client.ApiClient;
import com.datadog.api.client.ApiException;
import com.datadog.api.client.v2.api.LogsApi;
import com.datadog.api.client.v2.api.LogsApi.SubmitLogOptionalParameters;
import com.datadog.api.client.v2.model.ContentEncoding;
import com.datadog.api.client.v2.model.HTTPLogItem;
import com.fasterxml.jackson.core.JacksonException;
import jakarta.ws.rs.ProcessingException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.glassfish.jersey.message.internal.MessageBodyProviderNotFoundException;
import org.regionfailover.config.DatadogSettings;

/**
 * Posts batches to {@code POST /api/v2/logs} through datadog-api-client, gzip-compressed.
 *
 * <p>The client is built on the first submit, i.e. on the shipper's post thread: building it loads
 * Jersey and HK2 (~0.3 s), which start-up must not pay for.
 *
 * <p>Server selection: the client picks the logs host from its per-operation server list for
 * {@code v2.LogsApi.submitLog}, using the client-wide {@code serverIndex} and {@code
 * serverVariables}. Index 0 is {@code https://{subdomain}.{site}} but only accepts the seven
 * sites it knows (any other throws at request time); index 2 is the same template with no such
 * list, so a new Datadog site works without a client upgrade. A {@code logsUrl} instead sets
 * {@code serverIndex} to null, which makes the client use {@code basePath + "/api/v2/logs"}.
 */
final class ApiClientLogsIntake implements LogsIntake {
  static final int SERVER_INDEX_ANY_SITE = 2;
  // The client default is 0, i.e. wait forever: one stuck connection would stall shipping
  // for good. 5 s covers a TLS handshake across an ocean; the intake answers in well under 10 s.
  static final int CONNECT_TIMEOUT_MS = 5_000;
  static final int READ_TIMEOUT_MS = 10_000;
  // A reset header longer than this is treated as garbage rather than obeyed.
  private static final Duration MAX_RESET = Duration.ofMinutes(5);

  private final DatadogSettings settings;
  private LogsApi api;

  ApiClientLogsIntake(DatadogSettings settings) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("datadog shipping needs an apiKey");
    }
    this.settings = settings;
  }

  @Override
  public IntakeResult submit(List<HTTPLogItem> batch) {
    return redacted(post(batch));
  }

  private IntakeResult post(List<HTTPLogItem> batch) {
    try {
      api().submitLog(batch, new SubmitLogOptionalParameters().contentEncoding(ContentEncoding.GZIP));
      return new IntakeResult.Accepted();
    } catch (ApiException e) {
      return classify(e.getCode(), e.getResponseHeaders(), e.getResponseBody());
    } catch (ProcessingException e) {
      if (failedReadingAcceptedBody(e)) {
        // The client only parses a body after a 2xx status: the intake has stored the batch,
        // and sending it again would duplicate it. (Seen with a 202 lacking a Content-Type.)
        return new IntakeResult.Accepted();
      }
      // Jersey's wrapper for I/O failures: refused, reset, timed out, DNS.
      return new IntakeResult.Retry("network error: " + describe(e), Optional.empty());
    } catch (RuntimeException e) {
      return new IntakeResult.Retry("client error: " + describe(e), Optional.empty());
    }
  }

  /** Masks the key in reasons: an error body or exception text that echoes it must not leak it. */
  private IntakeResult redacted(IntakeResult result) {
    String key = settings.apiKey();
    if (result instanceof IntakeResult.Retry retry && retry.reason().contains(key)) {
      return new IntakeResult.Retry(retry.reason().replace(key, "****"), retry.notBefore());
    }
    if (result instanceof IntakeResult.Rejected rejected && rejected.reason().contains(key)) {
      return new IntakeResult.Rejected(
          rejected.status(), rejected.reason().replace(key, "****"), rejected.keyProblem());
    }
    return result;
  }

  private LogsApi api() {
    if (api == null) {
      RetryPostGuard.disable();
      ApiClient client = new ApiClient();
      client.setConnectTimeout(CONNECT_TIMEOUT_MS);
      client.setReadTimeout(READ_TIMEOUT_MS);
      // The shipper owns retries (with jitter and a stop deadline); the client's own
      // retry sleeps inside submitLog where nothing can bound it. It defaults to off: keep it so.
      client.getRetry().setEnableRetry(false);
      client.configureApiKeys(Map.of("apiKeyAuth", settings.apiKey()));
      if (settings.logsUrl() != null) {
        client.setServerIndex(null);
        client.setBasePath(settings.logsUrl().toString());
      } else {
        client.setServerIndex(SERVER_INDEX_ANY_SITE);
        client.setServerVariables(Map.of("site", settings.site()));
      }
      api = new LogsApi(client);
    }
    return api;
  }

  /** Maps an HTTP failure onto what the shipper should do. */
  static IntakeResult classify(int status, Map<String, List<String>> headers, String body) {
    String reason = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + clip(body));
    if (status == 429) {
      return new IntakeResult.Retry(reason, rateLimitReset(headers));
    }
    if (status >= 500 || status == 408 || status == 0) {
      return new IntakeResult.Retry(reason, Optional.empty());
    }
    if (status == 401 || status == 403) {
      return new IntakeResult.Rejected(status, "API key rejected (" + reason + ")", true);
    }
    return new IntakeResult.Rejected(status, "payload rejected (" + reason + ")", false);
  }

  /** The {@code x-ratelimit-reset} header (seconds until the limit resets), if usable. */
  static Optional<Duration> rateLimitReset(Map<String, List<String>> headers) {
    if (headers == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      // The client copies headers into a plain HashMap, so the name keeps the server's case.
      if ("x-ratelimit-reset".equalsIgnoreCase(header.getKey())
          && header.getValue() != null
          && !header.getValue().isEmpty()) {
        try {
          long seconds = Long.parseLong(header.getValue().get(0).strip());
          if (seconds >= 0 && seconds <= MAX_RESET.toSeconds()) {
            return Optional.of(Duration.ofSeconds(seconds));
          }
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static boolean failedReadingAcceptedBody(ProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MessageBodyProviderNotFoundException || t instanceof JacksonException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static String clip(String text) {
    // The intake's error bodies are short JSON; anything longer is not worth a log line.
    String oneLine = text.strip().replace('\n', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
