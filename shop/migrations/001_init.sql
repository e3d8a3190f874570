-- The shop store. Holds both the tau-bench retail model (users, addresses, payment methods, orders with
-- statuses, products with variants) and the Online Retail model (invoices, stock codes, unit prices, countries).

CREATE TABLE customers (
    customer_id        VARCHAR PRIMARY KEY,
    source             VARCHAR NOT NULL,            -- online_retail | tau_retail | generic | demo
    first_name         VARCHAR,
    last_name          VARCHAR,
    email              VARCHAR,
    phone              VARCHAR,
    country            VARCHAR,
    created_at         TIMESTAMP,
    marketing_consent  BOOLEAN NOT NULL DEFAULT FALSE,
    unsubscribed       BOOLEAN NOT NULL DEFAULT FALSE,
    preferred_language VARCHAR NOT NULL DEFAULT 'en',
    is_synthetic       BOOLEAN NOT NULL DEFAULT FALSE  -- names/emails made up by the demo generator
);
CREATE INDEX customers_email ON customers(email);

CREATE TABLE addresses (
    address_id  VARCHAR PRIMARY KEY,
    customer_id VARCHAR NOT NULL,
    address1    VARCHAR,
    address2    VARCHAR,
    city        VARCHAR,
    state       VARCHAR,
    zip         VARCHAR,
    country     VARCHAR,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX addresses_customer ON addresses(customer_id);

CREATE TABLE payment_methods (
    payment_method_id VARCHAR PRIMARY KEY,
    customer_id       VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,             -- credit_card | paypal | gift_card
    brand             VARCHAR,
    last_four         VARCHAR,
    balance           DOUBLE
);
CREATE INDEX payment_methods_customer ON payment_methods(customer_id);

CREATE TABLE products (
    product_id  VARCHAR PRIMARY KEY,                -- Online Retail: StockCode; tau: product_id
    name        VARCHAR NOT NULL,
    category    VARCHAR,
    description VARCHAR,
    source      VARCHAR NOT NULL
);

CREATE TABLE product_variants (
    item_id    VARCHAR PRIMARY KEY,
    product_id VARCHAR NOT NULL,
    options    JSON,                                -- {"color": "red", "size": "XL"}
    price      DOUBLE NOT NULL,
    available  BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX variants_product ON product_variants(product_id);

CREATE TABLE orders (
    order_id          VARCHAR PRIMARY KEY,          -- Online Retail: InvoiceNo; tau: #W...
    customer_id       VARCHAR,                      -- NULL for guest checkouts
    status            VARCHAR NOT NULL,             -- pending | processed | delivered | cancelled | return requested | exchange requested
    kind              VARCHAR NOT NULL DEFAULT 'sale',  -- sale | cancellation (a credit note: negative lines)
    created_at        TIMESTAMP NOT NULL,
    country           VARCHAR,
    ship_address      JSON,
    payment_method_id VARCHAR,
    tracking_ids      JSON,
    source            VARCHAR NOT NULL,
    updated_at        TIMESTAMP
);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX orders_created ON orders(created_at);

CREATE TABLE order_items (
    order_id    VARCHAR NOT NULL,
    line_no     INTEGER NOT NULL,
    item_id     VARCHAR,                            -- variant id (Online Retail: the StockCode)
    product_id  VARCHAR,
    description VARCHAR,
    quantity    INTEGER NOT NULL,                   -- negative on cancellation lines
    unit_price  DOUBLE NOT NULL,
    is_product  BOOLEAN NOT NULL DEFAULT TRUE,      -- false for POST, DOT, M, AMAZONFEE, ...
    status      VARCHAR,                            -- per-line: NULL | return requested | exchange requested | returned
    exchange_item_id VARCHAR,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_items_product ON order_items(product_id);

CREATE TABLE payments (
    order_id          VARCHAR NOT NULL,
    seq               INTEGER NOT NULL,
    transaction_type  VARCHAR NOT NULL,             -- payment | refund
    amount            DOUBLE NOT NULL,
    payment_method_id VARCHAR,
    created_at        TIMESTAMP,
    PRIMARY KEY (order_id, seq)
);

CREATE TABLE events (
    event_id      VARCHAR PRIMARY KEY,
    customer_id   VARCHAR,
    session_id    VARCHAR NOT NULL,
    event_type    VARCHAR NOT NULL,                 -- login | view | search | cart_add | cart_remove | checkout
    product_id    VARCHAR,
    ts            TIMESTAMP NOT NULL,
    dwell_seconds DOUBLE
);
CREATE INDEX events_customer ON events(customer_id);

CREATE TABLE reviews (
    review_id   VARCHAR PRIMARY KEY,
    customer_id VARCHAR,
    product_id  VARCHAR,
    rating      INTEGER NOT NULL,
    title       VARCHAR,
    body        VARCHAR,
    created_at  TIMESTAMP NOT NULL,
    source      VARCHAR NOT NULL
);
CREATE INDEX reviews_customer ON reviews(customer_id);

CREATE TABLE tickets (
    ticket_id   VARCHAR PRIMARY KEY,
    customer_id VARCHAR,
    order_id    VARCHAR,
    created_at  TIMESTAMP NOT NULL,
    category    VARCHAR NOT NULL,                   -- late_delivery | damaged | refund | payment | account | complaint | handoff | other
    subject     VARCHAR,
    body        VARCHAR,
    status      VARCHAR NOT NULL DEFAULT 'open',    -- open | resolved
    resolved_at TIMESTAMP
);
CREATE INDEX tickets_customer ON tickets(customer_id);

CREATE SEQUENCE audit_seq;
CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_seq'),
    ts         TIMESTAMP NOT NULL DEFAULT current_timestamp,
    actor_role VARCHAR NOT NULL,                    -- shopper | staff | marketer | system | cli
    actor_id   VARCHAR,
    action     VARCHAR NOT NULL,
    target     VARCHAR,
    details    JSON,
    ok         BOOLEAN NOT NULL
);

CREATE TABLE import_runs (
    run_id     VARCHAR PRIMARY KEY,
    source     VARCHAR NOT NULL,
    path       VARCHAR NOT NULL,
    sha256     VARCHAR NOT NULL,
    rows_read  BIGINT NOT NULL,
    inserted   JSON NOT NULL,
    rejected   JSON NOT NULL,
    started_at TIMESTAMP NOT NULL,
    seconds    DOUBLE NOT NULL
);

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,                      -- e.g. 'today': the shop's clock for a frozen demo
    value VARCHAR NOT NULL
);
