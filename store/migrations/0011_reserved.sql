-- 0011 is reserved for another branch (issue #20's station work uses 0012).
-- This placeholder keeps the numbers contiguous on this branch; the lead
-- deletes it when the branch that owns 0011 is merged first.
SELECT 1;
