-- Plain SQL on the consumer views at the range functions' speed (docs/timescaledb.md "Plain SQL on the views"): the
-- views read the values first, each value meeting its delivery day by that day's date, so that a filter on `mtu`,
-- `delivery_day` or `border` reads what the primary key would.
--
-- Nothing is changed here any more: that form comes with migration 015, once every value stores its day (012-014).
-- Built here, it read each day through the expression on the MTU, which no index serves once the values are many:
-- during an upgrade from 1.0.0 (1,630 days of three datasets) one day of Core read through jao.max_exchanges took
-- 5.4 s instead of 0.24 s with the 1.0.0 views, for as long as the migration ran (npm run bench:migrate). Until 015
-- the views of 1.0.0 stay, which read the same rows.
SELECT 1;
