-- Plain SQL on every dataset's views at the range functions' speed (docs/timescaledb.md "Plain SQL on the views"):
-- jao.dataset_values and jao.dataset_values_history in the form migration 004 meant for Core's views, values first.
--
-- Nothing is changed here any more: as for 004, that form comes with migration 015, once every value stores its day;
-- until then the views of 008 stay, which read the same rows.
SELECT 1;
