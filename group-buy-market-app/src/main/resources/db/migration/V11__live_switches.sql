-- #17 live switches: the values operators set at run time (a switch without a row keeps its configured default), and
-- every change with who/what/when. Kept in the database so they survive a restart of every instance and of Redis.
CREATE TABLE dcc_switch (
    name       VARCHAR(64)   NOT NULL COMMENT 'switch name as the admin API spells it (degrade, cutRange, ...)',
    value      VARCHAR(4000) NOT NULL COMMENT 'canonical value, checked by the switch''s rule before it is stored',
    updated_at DATETIME(3)   NOT NULL,
    PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'live switch values, overriding the configuration';

CREATE TABLE dcc_switch_change (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name           VARCHAR(64)     NOT NULL,
    old_value      VARCHAR(4000)   NULL COMMENT 'the value in force before, on the instance that took the change',
    new_value      VARCHAR(4000)   NOT NULL,
    changed_by     VARCHAR(64)     NOT NULL COMMENT 'the operator named in the request',
    remote_address VARCHAR(64)     NULL COMMENT 'where the request came from',
    changed_at     DATETIME(3)     NOT NULL,
    PRIMARY KEY (id),
    KEY idx_name (name, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'audit of live switch changes; never updated or deleted';

-- Names compare exactly, as V4 made every other table.
SET @exact := IF(VERSION() LIKE '%MariaDB%', 'utf8mb4_nopad_bin', 'utf8mb4_0900_bin');
SET @ddl := CONCAT('ALTER TABLE dcc_switch CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
DEALLOCATE PREPARE convert_table;
SET @ddl := CONCAT('ALTER TABLE dcc_switch_change CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @exact);
PREPARE convert_table FROM @ddl;
EXECUTE convert_table;
DEALLOCATE PREPARE convert_table;
