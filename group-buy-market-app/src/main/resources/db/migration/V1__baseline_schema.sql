-- Baseline schema of group-buy-market. Every DATETIME column holds UTC (the JDBC session runs in UTC).
-- Money is DECIMAL(8,2). Every business key has a unique index.

CREATE TABLE group_buy_activity (
    id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    activity_id      BIGINT          NOT NULL COMMENT 'business id of the activity',
    activity_name    VARCHAR(64)     NOT NULL,
    discount_id      VARCHAR(16)     NOT NULL COMMENT 'group_buy_discount.discount_id',
    group_type       TINYINT         NOT NULL DEFAULT 0 COMMENT '0 forms automatically when due, 1 forms only at target',
    take_limit_count INT             NOT NULL DEFAULT 1 COMMENT 'orders one user may take in this activity',
    target           INT             NOT NULL COMMENT 'team size',
    valid_time       INT             NOT NULL COMMENT 'team validity in minutes',
    status           TINYINT         NOT NULL DEFAULT 0 COMMENT '0 created, 1 effective, 2 expired, 3 abandoned',
    start_time       DATETIME(3)     NOT NULL,
    end_time         DATETIME(3)     NOT NULL,
    tag_id           VARCHAR(32)     NULL COMMENT 'audience crowd tag; null = everyone',
    tag_scope        VARCHAR(8)      NULL COMMENT 'comma list: 1 = non-members may not see, 2 = non-members may not join',
    create_time      DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time      DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_activity_id (activity_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'group-buy activity';

CREATE TABLE group_buy_discount (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    discount_id   VARCHAR(16)     NOT NULL,
    discount_name VARCHAR(64)     NOT NULL,
    discount_desc VARCHAR(256)    NOT NULL DEFAULT '',
    discount_type TINYINT         NOT NULL DEFAULT 0 COMMENT '0 base (everyone), 1 tag (members of tag_id only)',
    market_plan   VARCHAR(4)      NOT NULL COMMENT 'ZJ direct, MJ full reduction, ZK percentage, N fixed price',
    market_expr   VARCHAR(32)     NOT NULL,
    tag_id        VARCHAR(32)     NULL,
    create_time   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time   DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_discount_id (discount_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'discount plan';

CREATE TABLE sku (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    source         VARCHAR(16)     NOT NULL,
    channel        VARCHAR(16)     NOT NULL,
    goods_id       VARCHAR(16)     NOT NULL,
    goods_name     VARCHAR(128)    NOT NULL,
    original_price DECIMAL(8, 2)   NOT NULL,
    create_time    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time    DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_goods_id (goods_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'goods';

CREATE TABLE sc_sku_activity (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    source      VARCHAR(16)     NOT NULL,
    channel     VARCHAR(16)     NOT NULL,
    goods_id    VARCHAR(16)     NOT NULL,
    activity_id BIGINT          NOT NULL,
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_sc_goods (source, channel, goods_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'source + channel + goods -> activity';

CREATE TABLE crowd_tags (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tag_id      VARCHAR(32)     NOT NULL,
    tag_name    VARCHAR(64)     NOT NULL,
    tag_desc    VARCHAR(256)    NOT NULL DEFAULT '',
    statistics  INT             NOT NULL DEFAULT 0 COMMENT 'members loaded into the bitmap',
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_tag_id (tag_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'crowd tag';

CREATE TABLE crowd_tags_detail (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tag_id      VARCHAR(32)     NOT NULL,
    user_id     VARCHAR(32)     NOT NULL,
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_tag_user (tag_id, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'crowd tag member';

CREATE TABLE crowd_tags_job (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    tag_id      VARCHAR(32)     NOT NULL,
    batch_id    VARCHAR(16)     NOT NULL,
    tag_type    TINYINT         NOT NULL DEFAULT 1 COMMENT '0 participation, 1 spending, 2 ...',
    tag_rule    VARCHAR(16)     NOT NULL DEFAULT '',
    stat_start_time DATETIME(3) NULL,
    stat_end_time   DATETIME(3) NULL,
    status      TINYINT         NOT NULL DEFAULT 0 COMMENT '0 created, 1 done, 2 abandoned',
    create_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_batch_id (batch_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'crowd tag import job';

CREATE TABLE group_buy_order (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    team_id         VARCHAR(8)      NOT NULL,
    activity_id     BIGINT          NOT NULL,
    leader_user_id  VARCHAR(32)     NOT NULL COMMENT 'the user who opened the team',
    source          VARCHAR(16)     NOT NULL,
    channel         VARCHAR(16)     NOT NULL,
    original_price  DECIMAL(8, 2)   NOT NULL,
    deduction_price DECIMAL(8, 2)   NOT NULL,
    pay_price       DECIMAL(8, 2)   NOT NULL,
    target_count    INT             NOT NULL,
    complete_count  INT             NOT NULL DEFAULT 0,
    lock_count      INT             NOT NULL DEFAULT 0,
    status          TINYINT         NOT NULL DEFAULT 0 COMMENT '0 in progress, 1 complete, 2 failed, 3 complete with a refund',
    valid_start_time DATETIME(3)    NOT NULL,
    valid_end_time  DATETIME(3)     NOT NULL,
    notify_type     VARCHAR(8)      NOT NULL DEFAULT 'HTTP',
    notify_url      VARCHAR(512)    NULL,
    create_time     DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time     DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_team_id (team_id),
    KEY idx_activity_status_end (activity_id, status, valid_end_time),
    KEY idx_status_end (status, valid_end_time),
    CONSTRAINT ck_team_counts CHECK (complete_count <= target_count AND lock_count <= target_count
                                     AND complete_count >= 0 AND lock_count >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'team';

CREATE TABLE group_buy_order_list (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id         VARCHAR(32)     NOT NULL,
    team_id         VARCHAR(8)      NOT NULL,
    order_id        VARCHAR(12)     NOT NULL,
    activity_id     BIGINT          NOT NULL,
    start_time      DATETIME(3)     NOT NULL COMMENT 'activity start',
    end_time        DATETIME(3)     NOT NULL COMMENT 'activity end',
    goods_id        VARCHAR(16)     NOT NULL,
    source          VARCHAR(16)     NOT NULL,
    channel         VARCHAR(16)     NOT NULL,
    original_price  DECIMAL(8, 2)   NOT NULL,
    deduction_price DECIMAL(8, 2)   NOT NULL,
    pay_price       DECIMAL(8, 2)   NOT NULL,
    status          TINYINT         NOT NULL DEFAULT 0 COMMENT '0 locked, 1 paid, 2 closed/refunded',
    out_trade_no    VARCHAR(32)     NOT NULL,
    out_trade_time  DATETIME(3)     NULL,
    biz_id          VARCHAR(64)     NULL COMMENT 'activity_user_take-sequence while the order holds a take; makes the take limit hold in the DB',
    create_time     DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time     DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_order_id (order_id),
    UNIQUE KEY uq_user_out_trade_no (user_id, out_trade_no),
    UNIQUE KEY uq_biz_id (biz_id),
    KEY idx_team_status (team_id, status),
    KEY idx_activity_user (activity_id, user_id),
    KEY idx_status_create (status, create_time)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'member order of a team';

CREATE TABLE notify_task (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    task_key          VARCHAR(96)     NOT NULL COMMENT 'team + category + order: a task is never written twice',
    webhook_id        VARCHAR(40)     NOT NULL COMMENT 'stable per task, sent as webhook-id',
    activity_id       BIGINT          NOT NULL,
    team_id           VARCHAR(8)      NOT NULL,
    source            VARCHAR(16)     NOT NULL COMMENT 'with channel, selects the signing secret',
    channel           VARCHAR(16)     NOT NULL,
    notify_category   VARCHAR(32)     NOT NULL COMMENT 'trade_settlement, trade_unpaid2refund, trade_paid2refund, trade_paid_team2refund',
    notify_type       VARCHAR(8)      NOT NULL DEFAULT 'HTTP',
    notify_mq         VARCHAR(64)     NULL,
    notify_url        VARCHAR(512)    NULL,
    notify_count      INT             NOT NULL DEFAULT 0 COMMENT 'attempts made',
    notify_status     TINYINT         NOT NULL DEFAULT 0 COMMENT '0 init, 1 done, 2 retry, 3 failed',
    parameter_json    TEXT            NOT NULL COMMENT 'the body delivered',
    next_attempt_time DATETIME(3)     NOT NULL,
    claimed_by        VARCHAR(64)     NULL COMMENT 'worker holding the lease',
    claim_until       DATETIME(3)     NULL COMMENT 'lease end; after it another worker may take the task',
    last_error        VARCHAR(512)    NULL,
    create_time       DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    update_time       DATETIME(3)     NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
    PRIMARY KEY (id),
    UNIQUE KEY uq_task_key (task_key),
    UNIQUE KEY uq_webhook_id (webhook_id),
    KEY idx_status_next (notify_status, next_attempt_time),
    KEY idx_team (team_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'callback outbox';

CREATE TABLE notify_attempt (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    task_id      BIGINT UNSIGNED NOT NULL,
    attempt_no   INT             NOT NULL,
    attempt_time DATETIME(3)     NOT NULL,
    http_status  INT             NULL COMMENT 'null when no HTTP answer came (refused, timeout, TLS)',
    latency_ms   INT             NOT NULL,
    success      TINYINT         NOT NULL,
    error        VARCHAR(512)    NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_task_attempt (task_id, attempt_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT 'one row per delivery attempt';
