package dev.gantry.buildapi.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "repos")
public class RepoEntity {
  @Id public UUID id;

  public String provider;

  @Column(name = "clone_url")
  public String cloneUrl;

  @Column(name = "repo_key")
  public String repoKey;

  /** Kept to verify signatures; never serialised, logged or returned. */
  @Column(name = "webhook_secret")
  public String webhookSecret;

  public String branches;

  @Column(name = "app_name")
  public String appName;

  public String supersede;

  @Column(name = "created_at")
  public Instant createdAt;

  @Override
  public String toString() {
    return "Repo[" + id + " " + repoKey + "]";
  }
}
