-- PostgreSQL's copy of migrations/0022_assignee.sql: a person's claimed
-- requests of a department in a state, by deadline.
CREATE INDEX requests_assignee ON requests (assignee, dept, state, next_due);
