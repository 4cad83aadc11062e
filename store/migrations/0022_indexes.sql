-- A person's own queue (the Home's "assigned to me", /ask mine): their
-- claimed requests of a department in a state, by deadline, read along
-- this index instead of filtering the department's whole queue for them
-- (store/queue.go). requests_dept_state still serves the unclaimed.
CREATE INDEX requests_assignee ON requests (assignee, dept, state, next_due);
