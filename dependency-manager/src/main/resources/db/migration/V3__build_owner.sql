-- Who asked for a build: the caller's user name (the JWT's), so users see only their own builds.
-- NULL for the builds the service starts by itself when files change (trigger 'change'): those are
-- the system's, and any user may read them. A requested build stored before this column existed
-- keeps NULL as well; having no known owner, it is shown to administrators only.
ALTER TABLE build ADD COLUMN owner text;
