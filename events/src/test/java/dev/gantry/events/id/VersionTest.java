package dev.gantry.events.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v1.4.0",
        "v2.0.0-rc.1+build.5",
        "v0.0.0-20261121101530-9fceb02d0ae5",
        "1",
        "release_2026.12"
      })
  void shouldAcceptTagsAndPseudoVersions(String version) {
    assertThat(Version.parse(version).value()).isEqualTo(version);
  }

  @Test
  void shouldAcceptOneHundredTwentyEightCharactersAndRefuseMore() {
    assertThat(Version.isValid("v" + "1".repeat(127))).isTrue();
    assertThatThrownBy(() -> Version.parse("v" + "1".repeat(128)))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageEndingWith("129 characters long, at most 128");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        ".. | starts with '.'",
        "../v1 | the character '/'",
        ".hidden | starts with '.'",
        "-rm | starts with '-'",
        "+1 | starts with '+'",
        "v 1 | the character ' '",
        "a/b | the character '/'",
        "v1;id | the character ';'"
      })
  void shouldRefuseWhatIsNotOnePathElementSayingWhy(String version, String reason) {
    assertThat(Version.isValid(version)).as(version).isFalse();
    assertThatThrownBy(() -> Version.parse(version))
        .as(version)
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("version '")
        .hasMessageContaining(reason);
  }

  @Test
  void shouldRefuseControlCharactersAndNothingAtAll() {
    assertThatThrownBy(() -> Version.parse("v1\u0000"))
        .hasMessageContaining("the character U+0000");
    assertThatThrownBy(() -> Version.parse("v1\n"))
        .hasMessageStartingWith("version 'v1\\u000a' is not valid: the character U+000A");
    assertThatThrownBy(() -> Version.parse(null)).hasMessageEndingWith("missing");
    assertThatThrownBy(() -> Version.parse("")).hasMessageEndingWith("empty");
  }
}
