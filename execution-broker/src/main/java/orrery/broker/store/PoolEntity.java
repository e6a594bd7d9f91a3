package orrery.broker.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A compute pool and its capacity schedule (compact form, see {@link orrery.broker.domain.ScheduleRequest}). */
@Entity
@Table(name = "pool")
public class PoolEntity extends PanacheEntityBase {

    @Id
    public String name;

    public String schedule;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
