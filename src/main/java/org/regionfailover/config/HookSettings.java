package org.regionfailover.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A set's hooks (issue 28): the executables run before and after a switch and on every
 * event worth telling, how long one may run, and the webhook that gets the same deliveries.
 * Paths were checked executable when loaded. The webhook's secret is never held here, only
 * its file: a record's text must never show it.
 */
public record HookSettings(Optional<Path> preSwitch, Optional<Path> postSwitch,
    Optional<Path> notifyHook, Duration timeout, Optional<URI> notifyUrl,
    Optional<Path> notifySecretFile, Duration notifyRetryFor) {
  /** No hook, no webhook; the defaults of the durations. */
  public static final HookSettings OFF = new HookSettings(Optional.empty(), Optional.empty(),
      Optional.empty(), Duration.ofSeconds(30), Optional.empty(), Optional.empty(),
      Duration.ofHours(1));

  public HookSettings {
    Objects.requireNonNull(preSwitch, "preSwitch");
    Objects.requireNonNull(postSwitch, "postSwitch");
    Objects.requireNonNull(notifyHook, "notifyHook");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(notifyUrl, "notifyUrl");
    Objects.requireNonNull(notifySecretFile, "notifySecretFile");
    Objects.requireNonNull(notifyRetryFor, "notifyRetryFor");
  }

  /** These hooks with another timeout (it changes on a reload, the hooks need a restart). */
  public HookSettings withTimeout(Duration other) {
    return new HookSettings(preSwitch, postSwitch, notifyHook, other, notifyUrl, notifySecretFile,
        notifyRetryFor);
  }

  /** Whether anything is delivered: a notify hook or the webhook (the outbox is kept then). */
  public boolean delivers() {
    return notifyHook.isPresent() || notifyUrl.isPresent();
  }

  /** Whether any hook or the webhook is configured. */
  public boolean enabled() {
    return preSwitch.isPresent() || postSwitch.isPresent() || delivers();
  }

  /** The webhook's signing secret: the secret file's content, stripped; empty without one. */
  public Optional<String> secret() throws IOException {
    if (notifySecretFile.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(notifySecretFile.get(), StandardCharsets.UTF_8).strip());
  }
}
