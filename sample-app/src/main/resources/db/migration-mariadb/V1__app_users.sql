-- The sample application's own table, migrated by the application's Flyway
-- (history table flyway_schema_history), independently of the starter's bgt_ tables.
CREATE TABLE app_user (
    id           BIGINT       NOT NULL PRIMARY KEY,
    email        VARCHAR(255) NOT NULL UNIQUE,
    display_name VARCHAR(255) NOT NULL
);

INSERT INTO app_user (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada Lovelace');
INSERT INTO app_user (id, email, display_name) VALUES (2, 'grace@example.com', 'Grace Hopper');
INSERT INTO app_user (id, email, display_name) VALUES (3, 'alan@example.com', 'Alan Turing');
