-- Every change to a reservation gets the next number of one sequence, taken after its pool's row
-- lock: per pool, the numbers then follow commit order, so a broker replica that has applied the
-- changes up to N catches up by reading the rows numbered above N (PoolLedger) instead of every
-- active reservation of the pool. The trigger makes it so for every writer, including the offer
-- expiry sweep's plain SQL and an operator's psql.
CREATE SEQUENCE reservation_change;

ALTER TABLE reservation ADD COLUMN change_number bigint;
UPDATE reservation SET change_number = nextval('reservation_change');
ALTER TABLE reservation ALTER COLUMN change_number SET NOT NULL;
CREATE INDEX reservation_changes ON reservation (pool, change_number);

CREATE FUNCTION reservation_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM pool WHERE name = NEW.pool FOR UPDATE;
    NEW.change_number := nextval('reservation_change');
    RETURN NEW;
END
$$;

CREATE TRIGGER reservation_numbered BEFORE INSERT OR UPDATE ON reservation
    FOR EACH ROW EXECUTE FUNCTION reservation_numbered();

-- A deleted reservation leaves no row to catch up from: deleting counts the pool's resets
-- instead, and a replica whose ledger saw fewer resets builds a new one.
ALTER TABLE pool ADD COLUMN resets bigint NOT NULL DEFAULT 0;

CREATE FUNCTION reservation_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pool SET resets = resets + 1 WHERE name = OLD.pool;
    RETURN OLD;
END
$$;

CREATE TRIGGER reservation_deleted AFTER DELETE ON reservation
    FOR EACH ROW EXECUTE FUNCTION reservation_deleted();
