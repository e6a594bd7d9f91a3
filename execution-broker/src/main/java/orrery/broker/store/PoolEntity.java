package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A compute pool and its capacity schedule (compact form, see {@link orrery.broker.domain.CompactSchedule}). */
@Entity
@Table(name = "pool")
public class PoolEntity extends PanacheEntityBase {

    @Id
    public String name;

    public String schedule;

    public Instant createdAt;

    public Instant updatedAt;
}
