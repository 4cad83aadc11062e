-- Deflection in the intake form (bot/deflect_form.go): a form's filing
-- waits as a pending filing while its earlier answers are shown, and
-- "File anyway" must file it exactly as sent. form holds what the
-- columns of a typed filing do not: the department, request type,
-- fields, source and origin message, as JSON; '' for text typed without
-- a department.
ALTER TABLE pending_filings ADD COLUMN form TEXT NOT NULL DEFAULT '';
