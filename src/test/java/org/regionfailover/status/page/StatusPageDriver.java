package org.regionfailover.status.page;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.UsernameAndPassword;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.bidi.log.BaseLogEntry;
import org.openqa.selenium.bidi.log.LogLevel;
import org.openqa.selenium.bidi.module.LogInspector;
import org.openqa.selenium.bidi.module.Network;
import org.openqa.selenium.bidi.network.AddInterceptParameters;
import org.openqa.selenium.bidi.network.InterceptPhase;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.regionfailover.ChromiumAvailable;

/**
 * Drives the status page in Debian's headless Chromium, whatever serves it (the test's
 * harness today, the real server and loop later): open it, read what an operator would
 * read, wait for the plots, press a command and answer the login prompt and the confirm
 * dialog, take screenshots. Everything the page is asked goes through its DOM or the
 * {@code window.rfPlots} / {@code window.rfMarkers} it exposes.
 *
 * <p>The login prompt: headless Chromium has no dialog to type into, and a fetch that
 * meets a 401 simply waits for one. The driver answers it through WebDriver BiDi (an
 * {@code authRequired} intercept, then {@code continueWithAuth}), which is what a person
 * typing into the prompt amounts to: the server sees the unauthenticated POST, answers
 * 401, and the browser repeats it with the credentials.
 */
final class StatusPageDriver implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * Selenium looks for a CDP implementation at start and warns that there is none for
   * this Chromium; nothing here uses CDP (BiDi does the work). Held so that it stays set.
   */
  private static final Logger CDP_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  private final ChromeDriver driver;
  private final Network network;
  private final LogInspector logs;
  /** BiDi events arrive on its connection's thread, which must not wait on its own answer. */
  private final ExecutorService bidiReplies = Executors.newSingleThreadExecutor();
  private final AtomicInteger loginsAnswered = new AtomicInteger();
  /** Who types into the login prompt, for which server; null: nobody, the prompt is cancelled. */
  private volatile Login login;
  private final List<String> browserErrors = new CopyOnWriteArrayList<>();

  private record Login(String prefix, UsernameAndPassword credentials) {}

  private StatusPageDriver(ChromeDriver driver) {
    this.driver = driver;
    this.network = new Network(driver);
    network.addIntercept(new AddInterceptParameters(InterceptPhase.AUTH_REQUIRED));
    network.onAuthRequired(r -> bidiReplies.execute(() -> {
      String id = r.getRequest().getRequestId();
      Login l = login;
      if (l != null && r.getRequest().getUrl().startsWith(l.prefix())) {
        loginsAnswered.incrementAndGet();
        network.continueWithAuth(id, l.credentials());
      } else {
        network.cancelAuth(id);
      }
    }));
    this.logs = new LogInspector(driver);
    logs.onLog(entry -> {
      entry.getJavascriptLogEntry().map(e -> (BaseLogEntry) e)
          .or(() -> entry.getConsoleLogEntry().map(e -> (BaseLogEntry) e))
          .or(() -> entry.getGenericLogEntry().map(e -> (BaseLogEntry) e))
          .filter(e -> e.getLevel() == LogLevel.ERROR)
          .ifPresent(e -> browserErrors.add(e.getText()));
    });
  }

  /** Starts Chromium at 1366x768 (a small laptop); skips or fails as {@link ChromiumAvailable}. */
  static StatusPageDriver start() {
    ChromiumAvailable.require();
    CDP_FINDER.setLevel(Level.OFF);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(ChromiumAvailable.CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--window-size=1366,768", "--force-device-scale-factor=1", "--lang=en-US",
        "--hide-scrollbars");
    // BiDi: the only way found to answer the basic-auth prompt of a headless Chromium
    // without a version-matched selenium-devtools jar.
    options.setCapability("webSocketUrl", true);
    // The test answers the confirm dialogs itself.
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(ChromiumAvailable.CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      return new StatusPageDriver(driver);
    } catch (RuntimeException e) {
      driver.quit();
      throw e;
    }
  }

  /**
   * From now on answers the login prompts of {@code origin} with these credentials, as a
   * person would; any other prompt is cancelled (the page then shows the 401).
   */
  void answerLogins(URI origin, String user, String password) {
    login = new Login(origin.resolve("/").toString(), new UsernameAndPassword(user, password));
  }

  /** How many login prompts were answered. */
  int loginsAnswered() {
    return loginsAnswered.get();
  }

  void open(URI page) {
    driver.get(page.toString());
  }

  /** The text of the state banner. */
  String banner() {
    return driver.findElement(By.id("banner")).getText();
  }

  /** Waits until the banner's text satisfies {@code check}; returns it. */
  String awaitBanner(String what, Function<String, Boolean> check) {
    return await("the banner to show " + what, d -> {
      String text = banner();
      return check.apply(text) ? text : null;
    });
  }

  /** Waits until element {@code elementId}'s text satisfies {@code check}; returns it. */
  String awaitText(String elementId, Function<String, Boolean> check) {
    return await(elementId + " to satisfy the check", d -> {
      String text = text(elementId);
      return check.apply(text) ? text : null;
    });
  }

  /** Waits until table {@code tableId}'s rows satisfy {@code check}; returns them. */
  List<List<String>> awaitRows(String tableId, Function<List<List<String>>, Boolean> check) {
    return await(tableId + "'s rows to satisfy the check", d -> {
      List<List<String>> rows = rows(tableId);
      return check.apply(rows) ? rows : null;
    });
  }

  /** Whether element {@code elementId} is shown (not hidden, nor inside a hidden one). */
  boolean displayed(String elementId) {
    return driver.findElement(By.id(elementId)).isDisplayed();
  }

  String text(String elementId) {
    return driver.findElement(By.id(elementId)).getText();
  }

  /**
   * Each row of the transitions table, newest first, as its cells' text content (not as
   * rendered: the kind's pill is upper-cased by the style sheet).
   */
  List<List<String>> transitionRows() {
    return rows("transitions");
  }

  /**
   * Each row of table {@code tableId}'s body, as its cells' text content, read in one
   * script: the page replaces rows while a test reads them cell by cell.
   */
  @SuppressWarnings("unchecked")
  List<List<String>> rows(String tableId) {
    Object r = driver.executeScript("return Array.from(document.querySelectorAll('#' + "
        + "arguments[0] + ' tbody tr')).map(tr => Array.from(tr.cells).map(td => "
        + "td.textContent));", tableId);
    return (List<List<String>>) r;
  }

  /** The transition markers the first plot drew, by label. */
  @SuppressWarnings("unchecked")
  List<String> markers() {
    Object r = driver.executeScript(
        "return (window.rfMarkers || []).map(function (m) { return m.label; });");
    return (List<String>) r;
  }

  /**
   * Each plot as drawn: its region, how many points each series holds (chain, direct,
   * chain failures, direct failures) and how many pixels of the canvas's plotting area
   * carry each series' colour: the data arrived and was painted.
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> plots() {
    return (List<Map<String, Object>>) driver.executeScript(PLOTS_SCRIPT);
  }

  private static final String PLOTS_SCRIPT = """
      function rgb(v) {
        v = v.trim();
        if (v[0] === '#') {
          var n = parseInt(v.slice(1), 16);
          return [n >> 16 & 255, n >> 8 & 255, n & 255];
        }
        return v.match(/[0-9.]+/g).slice(0, 3).map(Number);
      }
      var css = getComputedStyle(document.documentElement);
      var want = { chain: rgb(css.getPropertyValue('--plot-chain')),
        direct: rgb(css.getPropertyValue('--plot-direct')),
        fail: rgb(css.getPropertyValue('--plot-fail')) };
      return (window.rfPlots || []).map(function (u) {
        var b = u.bbox;
        var img = u.ctx.getImageData(b.left, b.top, b.width, b.height).data;
        var ink = { chain: 0, direct: 0, fail: 0, other: 0 };
        for (var i = 0; i < img.length; i += 4) {
          if (img[i + 3] < 200) continue;
          var hit = 'other';
          for (var k in want) {
            var c = want[k];
            if (Math.abs(img[i] - c[0]) + Math.abs(img[i + 1] - c[1])
                + Math.abs(img[i + 2] - c[2]) < 60) { hit = k; break; }
          }
          ink[hit]++;
        }
        var n = {};
        u.series.forEach(function (s, i) {
          if (i > 0) {
            n[s.label] = u.data[i].filter(function (v) {
              return v !== null && v !== undefined;
            }).length;
          }
        });
        return { region: u.rfRegion, chain: n['chain'], direct: n['direct'],
          chainFailed: n['chain failed'], directFailed: n['direct failed'],
          inkChain: ink.chain, inkDirect: ink.direct, inkFail: ink.fail,
          inkOther: ink.other };
      });
      """;

  /**
   * Each plot's traffic strip (issue 27) as drawn: its region, whether it is there, how many
   * intervals it holds, the last one's share in percent and its volume, the caption under
   * the strip's label and its tooltip (title), how many pixels carry the strip's colour,
   * and whether its drawing area spans the same width as the latency's above (same times).
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> strips() {
    return (List<Map<String, Object>>) driver.executeScript(STRIPS_SCRIPT);
  }

  private static final String STRIPS_SCRIPT = """
      var v = getComputedStyle(document.documentElement).getPropertyValue('--plot-traffic')
        .trim();
      var n = parseInt(v.slice(1), 16);
      var want = [n >> 16 & 255, n >> 8 & 255, n & 255];
      return (window.rfPlots || []).map(function (u) {
        var s = u.rfStrip;
        if (!s) {
          return { region: u.rfRegion, shown: false };
        }
        var b = s.bbox;
        var img = s.ctx.getImageData(b.left, b.top, b.width, b.height).data;
        var ink = 0;
        for (var i = 0; i < img.length; i += 4) {
          if (img[i + 3] >= 200 && Math.abs(img[i] - want[0]) + Math.abs(img[i + 1] - want[1])
              + Math.abs(img[i + 2] - want[2]) < 60) ink++;
        }
        var pct = s.data[1];
        var vol = s.rfState.volume;
        return { region: u.rfRegion, shown: s.root.offsetParent !== null,
          points: pct.filter(function (p) { return p !== null && p !== undefined; }).length,
          lastPercent: pct.length ? pct[pct.length - 1] : null,
          lastVolume: vol.length ? vol[vol.length - 1] : null,
          caption: s.rfBox.querySelector('.strip-label').textContent, title: s.rfBox.title,
          ink: ink, alignedX: Math.abs(b.left - u.bbox.left) <= 1
            && Math.abs(b.width - u.bbox.width) <= 1 };
      });
      """;

  /**
   * Each plot's time axis as drawn: its labels, the scale's ends and the first time of data
   * (seconds), and the series in the order uPlot draws them (later ones on top).
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> timeAxes() {
    return (List<Map<String, Object>>) driver.executeScript("""
        return (window.rfPlots || []).map(function (u) {
          var xs = u.data[0];
          return { region: u.rfRegion, labels: (u.rfTimeLabels || []).slice(),
            min: u.scales.x.min, max: u.scales.x.max, first: xs.length ? xs[0] : null,
            last: xs.length ? xs[xs.length - 1] : null,
            series: u.series.slice(1).map(function (s) { return s.label; }) };
        });
        """);
  }

  /**
   * What the page did, in order: each {@code /status} answered ({@code what} status, its
   * number {@code n} and {@code state}) and each {@code /history} drawn ({@code what}
   * history, the number of the last /status answered then, and how many failures the
   * plots hold).
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> timeline() {
    return (List<Map<String, Object>>) driver.executeScript(
        "return (window.rfTimeline || []).slice();");
  }

  /**
   * For each time the page's /status turned to {@code down} (from another state it had
   * shown), in {@code timeline}: the number of that /status answer, and the number of the
   * last /status answered when the plots first drew more failures than before it (-1:
   * not yet).
   */
  static List<long[]> downToFailuresDrawn(List<Map<String, Object>> timeline) {
    List<long[]> out = new ArrayList<>();
    String before = null;
    long failedBefore = 0;
    for (int i = 0; i < timeline.size(); i++) {
      Map<String, Object> e = timeline.get(i);
      if ("history".equals(e.get("what"))) {
        failedBefore = ((Number) e.get("failed")).longValue();
        continue;
      }
      String state = (String) e.get("state");
      if ("down".equals(state) && before != null && !"down".equals(before)) {
        long baseline = failedBefore;
        long drawnAt = timeline.subList(i, timeline.size()).stream()
            .filter(x -> "history".equals(x.get("what"))
                && ((Number) x.get("failed")).longValue() > baseline)
            .mapToLong(x -> ((Number) x.get("n")).longValue()).findFirst().orElse(-1);
        out.add(new long[] {((Number) e.get("n")).longValue(), drawnAt});
      }
      before = state;
    }
    return out;
  }

  /** Whether a dialog (a confirm) is open. */
  boolean dialogOpen() {
    try {
      driver.switchTo().alert();
      return true;
    } catch (org.openqa.selenium.NoAlertPresentException e) {
      return false;
    }
  }

  /** Clicks an element as a person would (a disabled button takes no click). */
  void click(String elementId) {
    driver.findElement(By.id(elementId)).click();
  }

  /** An attribute of an element as the DOM has it now, null when absent. */
  String attribute(String elementId, String name) {
    return driver.findElement(By.id(elementId)).getDomAttribute(name);
  }

  /** The ids of the buttons in the page's commands panel(s). */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> commandButtons() {
    return (List<Map<String, Object>>) driver.executeScript("""
        return Array.from(document.querySelectorAll('.commands .btn')).map(function (b) {
          return { text: b.textContent, disabled: b.disabled, hidden: b.offsetParent === null,
            background: getComputedStyle(b).backgroundColor };
        });
        """);
  }

  /**
   * A GET by the page's own fetch: its status, content type and cache header, as the
   * browser saw them.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> browserGet(String path) {
    return (Map<String, Object>) driver.executeAsyncScript("""
        var done = arguments[arguments.length - 1];
        fetch(arguments[0], { cache: 'no-store' }).then(function (r) {
          return r.text().then(function (t) {
            done({ status: r.status, type: r.headers.get('Content-Type'),
              cache: r.headers.get('Cache-Control'), etag: r.headers.get('ETag'), body: t });
          });
        }).catch(function (e) { done({ status: -1, body: String(e) }); });
        """, path);
  }

  /** Waits until the traffic strips satisfy {@code check}; returns them. */
  List<Map<String, Object>> awaitStrips(String what,
      Function<List<Map<String, Object>>, Boolean> check) {
    return await("the traffic strips to show " + what, d -> {
      List<Map<String, Object>> p = strips();
      return p.isEmpty() || !check.apply(p) ? null : p;
    });
  }

  /** Waits until the plots satisfy {@code check}; returns them. */
  List<Map<String, Object>> awaitPlots(String what,
      Function<List<Map<String, Object>>, Boolean> check) {
    return await("the plots to show " + what, d -> {
      List<Map<String, Object>> p = plots();
      return p.isEmpty() || !check.apply(p) ? null : p;
    });
  }

  /**
   * Clicks the command's button, accepts the confirm dialog it opens, and waits for the
   * server's answer as the page shows it; returns the dialog's text and the answer.
   */
  String[] commandWithConfirm(String buttonId) {
    long before = answers();
    driver.findElement(By.id(buttonId)).click();
    Alert confirm = new WebDriverWait(driver, WAIT).until(ExpectedConditions.alertIsPresent());
    String text = confirm.getText();
    confirm.accept();
    return new String[] {text, awaitAnswer(before)};
  }

  /** Clicks a command's button (one without a confirm) and returns the answer shown. */
  String command(String buttonId) {
    return command(buttonId, "answer");
  }

  /**
   * On a page of several sets: clicks button {@code buttonId} of set {@code set}'s section
   * (one without a confirm) and returns the answer its section shows.
   */
  String commandOfSet(String set, String buttonId) {
    return command(buttonId + "--" + set, "answer--" + set);
  }

  private String command(String buttonId, String answerId) {
    long before = answers(answerId);
    driver.findElement(By.id(buttonId)).click();
    return awaitAnswer(before, answerId);
  }

  /** On a page of several sets: the regions of set {@code set}'s plots, in order. */
  @SuppressWarnings("unchecked")
  List<String> plotRegionsOfSet(String set) {
    return (List<String>) driver.executeScript("var s = (window.rfSets || {})[arguments[0]];"
        + " return s ? s.plots.map(function (u) { return u.rfRegion; }) : [];", set);
  }

  boolean enabled(String elementId) {
    return driver.findElement(By.id(elementId)).isEnabled();
  }

  /** Types into a text field, replacing what was there. */
  void type(String inputId, String text) {
    WebElement e = driver.findElement(By.id(inputId));
    e.clear();
    e.sendKeys(text);
  }

  /** Picks an option of a select by its value. */
  void select(String selectId, String value) {
    new Select(driver.findElement(By.id(selectId))).selectByValue(value);
  }

  /** Dismisses the answer shown (the operator has read it). */
  void dismissAnswer() {
    driver.findElement(By.id("answer-close")).click();
  }

  private long answers() {
    return answers("answer");
  }

  private long answers(String answerId) {
    String n = driver.findElement(By.id(answerId)).getDomAttribute("data-answer");
    return n == null ? 0 : Long.parseLong(n);
  }

  private String awaitAnswer(long before) {
    return awaitAnswer(before, "answer");
  }

  private String awaitAnswer(long before, String answerId) {
    return await("the server's answer to the command", d -> {
      WebElement a = d.findElement(By.id(answerId));
      return answers(answerId) > before ? a.getText() : null;
    });
  }

  /**
   * The whole page as one PNG: the window grows to the page's height for the shot, then
   * back to the laptop's size.
   */
  Path screenshot(Path file) throws IOException {
    WebDriver.Window window = driver.manage().window();
    Dimension before = window.getSize();
    long height = (Long) driver.executeScript("return Math.ceil(document.documentElement"
        + ".scrollHeight + window.outerHeight - window.innerHeight);");
    window.setSize(new Dimension(before.getWidth(), (int) Math.max(before.getHeight(), height)));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      window.setSize(before);
    }
    return file;
  }

  /**
   * The whole page at a phone's {@code width} as one PNG, once the plots have followed the
   * narrower window; returns by how many pixels the page is wider than the screen (0: no
   * sideways scrolling; tables scroll inside their own box).
   */
  long screenshotAtWidth(int width, Path file) throws IOException {
    WebDriver.Window window = driver.manage().window();
    Dimension before = window.getSize();
    window.setSize(new Dimension(width, before.getHeight()));
    try {
      await("the plots to fit " + width + " px", d -> (Boolean) driver.executeScript(
          "var w = document.getElementById('plots').clientWidth;"
              + "return window.rfPlots.length > 0 && window.rfPlots.every("
              + "function (u) { return u.width <= Math.max(280, w); });") ? true : null);
      long overflow = (Long) driver.executeScript("return Math.max(0, "
          + "document.documentElement.scrollWidth - document.documentElement.clientWidth);");
      screenshot(file);
      return overflow;
    } finally {
      window.setSize(before);
    }
  }

  /** Errors the page logged: uncaught exceptions, console errors (its CSP reports are). */
  List<String> browserErrors() {
    return List.copyOf(browserErrors);
  }

  /** Waits for the page to have logged an error; returns them all. */
  List<String> awaitBrowserErrors() {
    return await("an error in the browser's console", d -> browserErrors.isEmpty() ? null
        : List.copyOf(browserErrors));
  }

  /** Whether a script added inline to the page runs (a strict CSP refuses it). */
  boolean inlineScriptRuns() {
    return (Boolean) driver.executeScript("""
        var s = document.createElement('script');
        s.textContent = 'window.rfInlineRan = true;';
        document.head.appendChild(s);
        return window.rfInlineRan === true;
        """);
  }

  private <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).withMessage(() -> what + "; the banner says: "
        + safeBanner()).until(condition::apply);
  }

  private String safeBanner() {
    try {
      return banner().replace('\n', ' ');
    } catch (RuntimeException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      logs.close();
      network.close();
    } finally {
      bidiReplies.shutdownNow();
      driver.quit();
    }
  }
}
