-- Which `ntm replay` is filling the `_next` tables: each rebuild claims them with a token of
-- its own when it starts and checks it in every transaction, so a rebuild started later takes
-- them over and the earlier one stops instead of writing into (or swapping in) a mix of both.
ALTER TABLE proj_checkpoints ADD COLUMN rebuild TEXT;
