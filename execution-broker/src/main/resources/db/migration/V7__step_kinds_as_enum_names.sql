-- Step kinds are stored as the names of orrery.broker.domain.StepKind (FOLDER, STAGE, LAUNCH,
-- DELETE), like phases and states are; the API still spells them in lower case.
ALTER TABLE execution_step DROP CONSTRAINT execution_step_kind_check;
UPDATE execution_step SET kind = upper(kind);
ALTER TABLE execution_step ADD CONSTRAINT execution_step_kind_check CHECK (kind IN ('FOLDER', 'STAGE', 'LAUNCH', 'DELETE'));
