CREATE TABLE app_note (
    id   bigint       NOT NULL PRIMARY KEY,
    text varchar(255)
);
