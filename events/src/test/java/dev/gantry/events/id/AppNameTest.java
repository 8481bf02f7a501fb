package dev.gantry.events.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"shop", "hello", "a", "0", "quiet-shop", "app-1a2b3c4d", "9lives"})
  void shouldAcceptDnsLabels(String name) {
    assertThat(AppName.parse(name).value()).isEqualTo(name);
  }

  @Test
  void shouldAcceptSixtyThreeCharactersAndRefuseSixtyFour() {
    assertThat(AppName.isValid("a".repeat(63))).isTrue();
    assertThatThrownBy(() -> AppName.parse("a".repeat(64)))
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageEndingWith("is not valid: 64 characters long, at most 63");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "../etc | the character '.'",
        ".. | the character '.'",
        "-rm | starts or ends with '-'",
        "shop- | starts or ends with '-'",
        "Shop | the character 'S'",
        "shop front | the character ' '",
        "hello_world | the character '_'",
        "shop.v2 | the character '.'",
        "a/b | the character '/'",
        "\" \" | the character ' '"
      })
  void shouldRefuseWhatIsNotOneDnsLabelSayingWhy(String name, String reason) {
    assertThat(AppName.isValid(name)).as(name).isFalse();
    assertThatThrownBy(() -> AppName.parse(name))
        .as(name)
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("app name '")
        .hasMessageContaining(reason);
  }

  @Test
  void shouldRefuseControlCharactersAndNothingAtAll() {
    assertThatThrownBy(() -> AppName.parse("shop\u0007"))
        .hasMessage(
            "app name 'shop\\u0007' is not valid: the character U+0007"
                + " (only lower-case letters, digits and '-')");
    assertThatThrownBy(() -> AppName.parse(null)).hasMessageEndingWith("missing");
    assertThatThrownBy(() -> AppName.parse("")).hasMessageEndingWith("empty");
  }
}
