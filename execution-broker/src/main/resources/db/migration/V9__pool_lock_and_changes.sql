-- Locks a pool and returns, in the same round trip, what a broker replica needs to catch up its
-- ledger: the schedule, the reset count, the newest change number and the reservations changed
-- after p_after (or, with p_after < 0, every reservation not released that ends after p_floor).
-- The reservations are read after the lock is held (a VOLATILE function takes a new snapshot per
-- statement), so nothing committed before the lock is missed and nothing can commit after it.
-- One round trip fewer inside the pool's lock than SELECT ... FOR UPDATE and a query after it.
-- Returns NULL when there is no such pool.
CREATE FUNCTION pool_lock_changes(p_pool text, p_after bigint, p_floor bigint) RETURNS text
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    locked pool%ROWTYPE;
    changes json;
BEGIN
    SELECT * INTO locked FROM pool WHERE name = p_pool FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p_after < 0 THEN
        SELECT json_agg(json_build_array(r.id, r.start_time, r.end_time, r.amount, r.state,
                                         extract(epoch FROM r.expires_at), r.change_number)) INTO changes
        FROM reservation r WHERE r.pool = p_pool AND r.end_time > p_floor AND r.state <> 'RELEASED';
    ELSE
        SELECT json_agg(json_build_array(r.id, r.start_time, r.end_time, r.amount, r.state,
                                         extract(epoch FROM r.expires_at), r.change_number)) INTO changes
        FROM reservation r WHERE r.pool = p_pool AND r.change_number > p_after;
    END IF;
    RETURN json_build_object(
        'schedule', locked.schedule,
        'resets', locked.resets,
        'newest', (SELECT coalesce(max(r.change_number), 0) FROM reservation r WHERE r.pool = p_pool),
        'changes', coalesce(changes, '[]'::json))::text;
END
$$;
