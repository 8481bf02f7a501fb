package dev.gantry.e2e;

import dev.gantry.testkit.Browser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One person at the console: a headless Chromium of their own (its own cookies), reading the pages
 * by the contract's {@code data-testid}s as a person reads them, and acting through the buttons.
 */
final class ConsoleBrowser implements AutoCloseable {
  /** Where the main pages' screenshots are kept: e2e/target/screenshots. */
  static final Path SCREENSHOTS = Path.of("target/screenshots");

  /** How long a page may take to show what the test waits for: pages load and update live. */
  private static final Duration SHOWN_WITHIN = Duration.ofSeconds(30);

  private final WebDriver driver;
  private final AutoCloseable owner;
  final String consoleUrl;

  ConsoleBrowser(WebDriver driver, AutoCloseable owner, String consoleUrl) {
    this.driver = driver;
    this.owner = owner;
    this.consoleUrl = consoleUrl;
  }

  /** A fresh browser (testkit's headless Chromium): no cookies, no session. */
  static ConsoleBrowser open(String consoleUrl) {
    Browser browser = Browser.start();
    return new ConsoleBrowser(browser.driver(), browser, consoleUrl);
  }

  void go(String url) {
    driver.get(url);
  }

  String currentUrl() {
    return driver.getCurrentUrl();
  }

  /** Logs in on the login page the browser is on, with a token typed into the form. */
  void loginWithToken(String token) {
    until("the login form", d -> testId("login-token").isPresent());
    WebElement field = testId("login-token").orElseThrow();
    field.clear();
    field.sendKeys(token);
    testId("login-submit").orElseThrow().click();
    until("a page after login", d -> !path().startsWith("/login") && testId("whoami").isPresent());
  }

  /** The element with this test id, once the page shows it. */
  WebElement shown(String testId) {
    until(testId, d -> testId(testId).isPresent());
    return testId(testId).orElseThrow();
  }

  Optional<WebElement> testId(String testId) {
    List<WebElement> found = all(testId);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  List<WebElement> all(String testId) {
    return driver.findElements(By.cssSelector("[data-testid='" + testId + "']"));
  }

  /**
   * Waits until the element's text passes {@code test} and returns that text; when it never does,
   * returns what it shows at the end, for the assertion to report.
   */
  String textOnceShown(String testId, Predicate<String> test) {
    try {
      until(
          testId + " to show the expected text",
          d -> testId(testId).map(WebElement::getText).filter(test).isPresent());
    } catch (TimeoutException e) {
      // the assertion names what was shown instead
    }
    return read(
        () -> testId(testId).map(WebElement::getText).orElse("<no " + testId + " on the page>"));
  }

  /** An attribute of every element with this test id, read from one rendering of the page. */
  List<String> attributes(String testId, String name) {
    return read(() -> all(testId).stream().map(e -> e.getAttribute(name)).toList());
  }

  private static <T> T read(java.util.function.Supplier<T> reading) {
    for (int attempt = 0; ; attempt++) {
      try {
        return reading.get();
      } catch (StaleElementReferenceException e) {
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /** Waits for a condition on the page, failing with what it waited for. */
  void until(String what, java.util.function.Function<WebDriver, Boolean> condition) {
    // live pages redraw: an element read while it is replaced is read again
    new WebDriverWait(driver, SHOWN_WITHIN)
        .ignoring(StaleElementReferenceException.class)
        .withMessage(() -> what + " on " + driver.getCurrentUrl())
        .until(condition);
  }

  /**
   * Sends a request from the page's own origin with its session cookie, as a script on the page (or
   * a forger who got one in) would: returns the HTTP status.
   */
  long fetchStatus(String method, String path, boolean withCsrf) {
    Object status =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                """
                const [method, path, withCsrf, done] = arguments;
                (async () => {
                  const headers = {'Content-Type': 'application/json'};
                  if (withCsrf) {
                    const s = await fetch('/api/session', {credentials: 'same-origin'});
                    headers['X-CSRF-Token'] = (await s.json()).csrf;
                  }
                  const r = await fetch(path, {method, headers, body: '{}', credentials: 'same-origin'});
                  done(r.status);
                })().catch(e => done(-1));
                """,
                method,
                path,
                withCsrf);
    return ((Number) status).longValue();
  }

  /** Saves what the browser shows to e2e/target/screenshots/{name}.png. */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String path() {
    String url = driver.getCurrentUrl();
    return url.startsWith(consoleUrl) ? url.substring(consoleUrl.length()) : url;
  }

  static int intAttribute(WebElement e, String name) {
    String v = e.getAttribute(name);
    return v == null || v.isBlank() ? -1 : Integer.parseInt(v.strip());
  }

  @Override
  public void close() {
    try {
      owner.close();
    } catch (Exception e) {
      // the browser is gone either way
    }
  }
}
