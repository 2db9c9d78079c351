/**
 * The tables as of schema version 1. Never edit this text once released: later versions change the schema with new
 * migrations, so that every database, old or new, goes through the same steps.
 *
 * Money and quantities are TEXT holding exact decimals (never REAL: 0.1 + 0.2 must stay 0.3); every timestamp is
 * INTEGER UTC milliseconds; STRICT makes SQLite refuse a value its column cannot hold (text in a timestamp) instead
 * of storing it anyway.
 */
export const SCHEMA_V1 = `
CREATE TABLE positions (
  symbol         TEXT    NOT NULL PRIMARY KEY,
  side           TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity       TEXT    NOT NULL,
  entry_price    TEXT    NOT NULL,
  entry_time     INTEGER NOT NULL,
  stop_loss      TEXT,
  take_profit    TEXT,
  trailing_stop  TEXT,
  status         TEXT    NOT NULL CHECK (status IN ('open', 'closed')),
  realized_pnl   TEXT    NOT NULL,
  exit_price     TEXT,
  exit_time      INTEGER,
  updated_at     INTEGER NOT NULL,
  CHECK (status = 'open' OR exit_time IS NOT NULL)
) STRICT;
CREATE INDEX positions_status ON positions (status);

CREATE TABLE orders (
  client_order_id   TEXT    NOT NULL PRIMARY KEY,
  exchange_order_id TEXT    UNIQUE,
  symbol            TEXT    NOT NULL,
  side              TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  type              TEXT    NOT NULL CHECK (type IN ('market', 'limit', 'stop', 'stop_limit')),
  quantity          TEXT    NOT NULL,
  filled_quantity   TEXT    NOT NULL,
  limit_price       TEXT,
  stop_price        TEXT,
  time_in_force     TEXT    NOT NULL CHECK (time_in_force IN ('gtc', 'gtd', 'ioc', 'fok')),
  expires_at        INTEGER,
  reduce_only       INTEGER NOT NULL CHECK (reduce_only IN (0, 1)),
  status            TEXT    NOT NULL
    CHECK (status IN ('pending', 'open', 'partially_filled', 'filled', 'cancelled', 'rejected', 'expired')),
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;
CREATE INDEX orders_status ON orders (status);
CREATE INDEX orders_symbol ON orders (symbol);

CREATE TABLE fills (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  client_order_id  TEXT    REFERENCES orders (client_order_id),
  exchange_fill_id TEXT    UNIQUE,
  symbol           TEXT    NOT NULL,
  side             TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  price            TEXT    NOT NULL,
  quantity         TEXT    NOT NULL,
  fee              TEXT    NOT NULL,
  maker            INTEGER NOT NULL CHECK (maker IN (0, 1)),
  time             INTEGER NOT NULL
) STRICT;
CREATE INDEX fills_order ON fills (client_order_id);

CREATE TABLE trades (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  fill_id         INTEGER REFERENCES fills (id),
  symbol          TEXT    NOT NULL,
  side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity        TEXT    NOT NULL,
  entry_price     TEXT    NOT NULL,
  exit_price      TEXT    NOT NULL,
  entry_time      INTEGER NOT NULL,
  exit_time       INTEGER NOT NULL,
  gross_pnl       TEXT    NOT NULL,
  fees            TEXT    NOT NULL,
  net_pnl         TEXT    NOT NULL,
  exit_reason     TEXT    NOT NULL,
  closes_position INTEGER NOT NULL CHECK (closes_position IN (0, 1))
) STRICT;
CREATE INDEX trades_symbol ON trades (symbol);
CREATE INDEX trades_fill ON trades (fill_id);

CREATE TABLE checkpoints (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  time               INTEGER NOT NULL,
  cycle_count        INTEGER NOT NULL,
  portfolio_value    TEXT    NOT NULL,
  cash               TEXT    NOT NULL,
  positions_value    TEXT    NOT NULL,
  open_positions     INTEGER NOT NULL,
  symbols            TEXT    NOT NULL,
  drawdown           TEXT    NOT NULL,
  consecutive_losses INTEGER NOT NULL,
  paper_mode         INTEGER NOT NULL CHECK (paper_mode IN (0, 1)),
  config_hash        TEXT    NOT NULL,
  metadata           TEXT    NOT NULL
) STRICT;

CREATE TABLE journal (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,
  type    TEXT    NOT NULL,
  payload TEXT    NOT NULL
) STRICT;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
`;
