package dev.gantry.buildapi.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class VerdictRepository implements PanacheRepositoryBase<VerdictEntity, String> {}
