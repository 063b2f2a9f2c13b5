-- Who submitted an execution (the authenticated principal of a REST call, or of the SecurityContext a
-- submission from code ran in) and who asked to cancel it; NULL when nobody was authenticated.
ALTER TABLE bgt_execution ADD COLUMN submitted_by varchar(255);
ALTER TABLE bgt_execution ADD COLUMN cancelled_by varchar(255);
