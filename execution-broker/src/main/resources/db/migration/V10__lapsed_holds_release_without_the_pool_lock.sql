-- Releasing a hold that has already lapsed changes nothing a ledger counts: a held reservation
-- stops counting at its expiry (PoolLedger drops it then, and the calendar queries filter on
-- expires_at), so the release needs neither the pool's row lock nor a change number. Before, the
-- offer expiry sweep's batches of releases took the pool's lock in this trigger and held it until
-- they committed, so at hundreds of offer sets a second the offer batches queued behind the
-- sweep; and every replica then read the released rows back while catching up, under that lock.
-- Every other change (a hold, a booking made firm, a release before the expiry) is numbered
-- under the lock as before.
CREATE OR REPLACE FUNCTION reservation_numbered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state = 'HELD' AND NEW.state = 'RELEASED'
            AND OLD.expires_at IS NOT NULL AND NEW.released_at IS NOT NULL
            AND OLD.expires_at <= NEW.released_at
            AND NEW.pool = OLD.pool AND NEW.start_time = OLD.start_time
            AND NEW.end_time = OLD.end_time AND NEW.amount = OLD.amount THEN
        RETURN NEW;
    END IF;
    PERFORM 1 FROM pool WHERE name = NEW.pool FOR UPDATE;
    NEW.change_number := nextval('reservation_change');
    RETURN NEW;
END
$$;
