package dev.gantry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GantryInfraTest {

  @Test
  void shouldHandQuarkusTheSharedServersWhenStartedTwice() {
    GantryInfra first = new GantryInfra();
    GantryInfra second = new GantryInfra();

    Map<String, String> config = first.start();
    first.stop();

    assertThat(second.start()).isEqualTo(config);
    assertThat(config)
        .containsEntry("kafka.bootstrap.servers", GantryInfra.kafka().bootstrapServers())
        .containsEntry("quarkus.datasource.jdbc.url", GantryInfra.postgres().jdbcUrl())
        .containsEntry("quarkus.datasource.username", "gantry")
        .containsEntry("quarkus.datasource.password", "gantry");
  }
}
