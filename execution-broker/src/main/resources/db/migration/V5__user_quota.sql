-- A user's firm reservations, read for every quota decision (reserve, offer, accept).
CREATE INDEX reservation_owner_firm ON reservation (owner, end_time) WHERE state = 'FIRM';
