package dev.gantry.events.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildIdTest {

  @Test
  void shouldAcceptTheCanonicalFormOfAUuidAndKeepItLowerCase() {
    UUID uuid = UUID.randomUUID();
    assertThat(BuildId.of(uuid).value()).isEqualTo(uuid.toString());
    assertThat(BuildId.parse("0193A5F0-7C1E-7B3A-9D2E-4F6A8B0C1D2E").value())
        .isEqualTo("0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e");
    assertThat(BuildId.parse("0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e").uuid())
        .isEqualTo(UUID.fromString("0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1-1-1-1-1",
        "../../etc/passwd",
        "-0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e",
        "0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e0",
        "0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e\n",
        "0193a5f07c1e7b3a9d2e4f6a8b0c1d2e",
        "build-42",
        ""
      })
  void shouldRefuseWhatIsNotACanonicalUuid(String id) {
    assertThat(BuildId.isValid(id)).as(id).isFalse();
    assertThatThrownBy(() -> BuildId.parse(id))
        .as(id)
        .isInstanceOf(InvalidIdentifierException.class)
        .hasMessageStartingWith("build id '")
        .hasMessageEndingWith(
            "is not valid: not a UUID such as 0193a5f0-7c1e-7b3a-9d2e-4f6a8b0c1d2e")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> BuildId.parse(null)).hasMessageEndingWith("missing");
  }
}
