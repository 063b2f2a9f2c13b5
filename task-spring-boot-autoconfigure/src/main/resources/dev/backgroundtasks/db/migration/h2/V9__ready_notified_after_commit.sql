-- PostgreSQL's V9 drops its wake-up trigger; H2 never had one (one node, woken in memory). Kept so that
-- both databases are at the same version.
SELECT 1;
