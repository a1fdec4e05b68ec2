-- What the catalogue times of a constraint of the flow-based domain say (db/constraintRegistry.ts): a new constraint
-- is inserted before the write that stores it, in a short transaction of its own, as never stored; that write sets
-- both times. Comments only. Idempotent.
COMMENT ON COLUMN jao.flow_constraint.first_seen_at IS
  'when the first committed write that stored a version of the constraint ran (transaction time); infinity while none has';
COMMENT ON COLUMN jao.flow_constraint.last_seen_at IS
  'the earliest write of the latest UTC hour that stored the constraint (transaction time); -infinity while none has';
