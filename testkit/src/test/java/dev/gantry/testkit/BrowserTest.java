package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrowserTest {
  @TempDir Path dir;

  @Test
  void shouldRenderAPageInTheMachinesHeadlessChromiumAndKeepAScreenshot() throws Exception {
    Path page = dir.resolve("page.html");
    Files.writeString(
        page,
        "<!doctype html><p data-testid=greeting>hello</p>"
            + "<script>document.querySelector('p').textContent += ' from script'</script>");
    try (Browser browser = Browser.start()) {
      browser.open(page.toUri().toString());
      assertThat(browser.text("greeting")).isEqualTo("hello from script");
      Path shot = browser.screenshot(dir.resolve("shots/page.png"));
      byte[] png = Files.readAllBytes(shot);
      assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }
  }
}
