-- Outbox hardening (#14). A lease now carries a fencing token: every finishing write must present the token of the
-- lease it was made under, so a claimant whose lease ran out and was taken over (even one in the same JVM, under
-- the same worker name) cannot overwrite the newer claimant's result.
ALTER TABLE notify_task
    ADD COLUMN claim_token CHAR(36) NULL COMMENT 'fencing token of the current lease; finishing writes must match it'
        AFTER claimed_by;
