package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium, driven by Selenium through the machine's chromedriver: Debian's {@code
 * chromium} and {@code chromium-driver}, never a browser or driver a tool downloads (both paths are
 * given to Selenium, so its Selenium Manager has nothing to look up). A fresh profile per instance.
 *
 * <p>A module that uses it declares {@code org.seleniumhq.selenium:selenium-java} (test scope);
 * testkit has it as an optional dependency.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("GANTRY_CHROMIUM", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER =
      Path.of(System.getenv().getOrDefault("GANTRY_CHROMEDRIVER", "/usr/bin/chromedriver"));
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts Chromium headless at 1400×1000; fails with the package names when it is missing. */
  public static Browser start() {
    require(CHROMIUM, "chromium");
    require(CHROMEDRIVER, "chromedriver");
    Path profile;
    try {
      profile = Files.createTempDirectory("gantry-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  private static void require(Path binary, String what) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          what
              + " not found at "
              + binary
              + ": install Debian's packages with `apt-get install chromium chromium-driver`");
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public Browser open(String url) {
    driver.get(url);
    return this;
  }

  /** The current address, after any redirect or script navigation. */
  public String url() {
    return driver.getCurrentUrl();
  }

  /**
   * Logs in on the login page the browser is on (or opens {@code <base>/login} first), and waits
   * until a page of the console shows who is logged in.
   */
  public Browser login(String base, String token) {
    if (!url().contains("/login")) {
      open(base + "/login");
    }
    WebElement input = await("login-token");
    input.clear();
    input.sendKeys(token);
    byTestId("login-submit").click();
    new WebDriverWait(driver, WAIT)
        .until(d -> !d.getCurrentUrl().contains("/login") && !text("whoami").equals("…"));
    return this;
  }

  /** The element with this {@code data-testid}, waited for. */
  public WebElement await(String testId) {
    return new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(testId(testId)));
  }

  /** Waits until {@code testId} is visible. */
  public WebElement awaitVisible(String testId) {
    return new WebDriverWait(driver, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(testId(testId)));
  }

  public WebElement byTestId(String testId) {
    return driver.findElement(testId(testId));
  }

  public List<WebElement> allByTestId(String testId) {
    return driver.findElements(testId(testId));
  }

  /** The text of the first element with this test id (waited for). */
  public String text(String testId) {
    return await(testId).getText();
  }

  /**
   * Runs a script in the page; an async one ends by calling {@code arguments[arguments.length-1]}.
   */
  public Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  public Object asyncScript(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  /** Waits for a condition on the page, e.g. a count of elements. */
  public <T> T until(java.util.function.Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition::apply);
  }

  /** A PNG of the viewport, written to {@code file} (folders created). */
  public Path screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      return Files.copy(png, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public void quit() {
    try {
      driver.quit();
    } finally {
      deleteRecursively(profile);
    }
  }

  @Override
  public void close() {
    quit();
  }

  private static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp profile left behind is not worth failing a test for
    }
  }
}
