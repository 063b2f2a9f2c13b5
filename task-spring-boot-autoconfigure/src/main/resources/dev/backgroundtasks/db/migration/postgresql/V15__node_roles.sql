-- What each node does, for the dashboard's nodes page: its roles (worker, scheduler, api, dashboard) and
-- how many worker threads it runs.
ALTER TABLE bgt_node ADD COLUMN threads integer DEFAULT 0 NOT NULL;
ALTER TABLE bgt_node ADD COLUMN roles varchar(200);
