-- Each standing period holds every criterion's status as one letter (`statuses`, 0003). The
-- per-criterion period table said the same again, was read by no query, and made up a third of
-- the rows a rebuild writes: dropped.
DROP TABLE proj_criterion_history;
DROP TABLE proj_criterion_history_next;
