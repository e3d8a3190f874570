"""The one Settings object. Built from the environment (prefix RETAIN_) and .env, then passed down.

No other module reads the environment: they take a Settings (or the values they need) as arguments.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Policy(BaseModel):
    """Shop rules that the tools enforce and the help centre quotes: one source for both. A store may adopt a
    named profile (shop/policy.py: 'demo', 'tau') that overrides some of these."""

    profile: str = "demo"
    currency: str = "GBP"
    currency_symbol: str = "£"
    return_window_days: int | None = 30     # None: no window (τ)
    exchange_window_days: int | None = 30
    refund_to_gift_card: bool = False       # a return may be refunded to any of the customer's gift cards (τ)
    item_modification_once: bool = True     # a pending order's items can be changed once, then it is locked
    modified_items_status: str = "pending (item modified)"
    refund_days_card: int = 5
    refund_days_gift_card: int = 1
    cancellable_statuses: tuple[str, ...] = ("pending",)
    modifiable_statuses: tuple[str, ...] = ("pending",)
    returnable_statuses: tuple[str, ...] = ("delivered",)
    non_returnable_categories: tuple[str, ...] = ("Food & Drink", "Personal Care", "Gift Cards")
    free_shipping_threshold: float = 50.0
    standard_shipping_fee: float = 4.95
    express_shipping_fee: float = 9.95
    max_discount_pct: int = 20
    top_tier_max_discount_pct: int = 30
    offer_validity_days: int = 14
    contact_frequency_cap_days: int = 14
    warranty_months: int = 24
    # help-centre numbers (H3): shipping zones, loyalty, accounts
    dispatch_cutoff: str = "14:00"
    uk_standard_days: str = "2-3"
    uk_express_days: str = "1"
    eu_shipping_fee: float = 9.95
    eu_standard_days: str = "3-5"
    eu_far_days: str = "5-8"
    world_shipping_fee: float = 19.95
    world_standard_days: str = "7-14"
    loyalty_points_per_pound: int = 1
    loyalty_silver_spend: float = 250.0
    loyalty_gold_spend: float = 750.0
    loyalty_point_value_pence: int = 1
    coupon_min_order: float = 20.0
    password_reset_minutes: int = 60
    data_export_days: int = 30
    complaint_response_days: int = 2


class Settings(BaseSettings):
    """Everything configurable, in one place. Env vars: RETAIN_DATA_DIR, RETAIN_MODEL, ..."""

    model_config = SettingsConfigDict(
        env_prefix="RETAIN_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        env_nested_delimiter="__",
    )

    data_dir: Path = Field(Path("data"), description="where the store, vectors, models and threads live")
    model: str = Field("offline", description="chat model: offline | llamacpp[:<url>] | openai:<m> | "
                       "openai-compatible:<url>/<m> | local:<path>")
    embedding: str = Field("minilm", description="embedder: minilm | use-m | openai:<m> | st:<path> | hash")
    embedding_zh: str = Field("use-m", description="embedder for Chinese questions (a companion collection); "
                              "'' = the same as embedding")
    lang_dir: Path | None = Field(None, description="more language catalogues, searched before the shipped ones: "
                                  "<lang_dir>/<lang>/<name>.toml, or <lang_dir>/<package>/<lang>/<name>.toml "
                                  "(docs/languages.md)")
    chroma_url: str | None = Field(None, description="http://host:port for a Chroma server; unset = embedded")
    ui_host: str = "127.0.0.1"
    ui_port: int = 7860
    ui_users: str | None = Field(None, description="staff logins as 'user:password,user2:password2'")
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    llm_port: int = Field(8012, description="port of the managed llama.cpp server (127.0.0.1 only)")
    llm_threads: int = Field(2, description="CPU threads for the llama.cpp server")
    llm_ctx: int = Field(4096, description="context size (tokens) of the llama.cpp server")
    llm_gguf: Path | None = Field(None, description="GGUF weights; unset = <data_dir>/models/ from `retain llm install`")
    llm_start_timeout: float = Field(180.0, description="seconds to wait for the llama.cpp server's /health")
    llm_max_tokens: int = Field(160, description="most tokens the model may write in one answer")
    seed: int = 42
    churn_horizon_days: int = 90
    max_doc_bytes: int = 5_000_000
    demo_customers: int = 1200
    policy: Policy = Field(default_factory=Policy)
    # the web app's shopper side (issue 14 point 4, issue 18)
    demo: bool = Field(False, description="demo mode (`retain serve --demo`): the customer picker and /shop-demo/")
    widget_secret: SecretStr | None = Field(None, description="secret shared with the shop for signed widget "
                                            "identities (HMAC-SHA256 of customer_id[.exp]); unset = refused")
    shop_name: str = Field("Support", max_length=80, description="the shop's name in the support widget's header")
    session_secret: SecretStr | None = Field(None, description="key of the widget's conversation cookie; unset = "
                                             "derived from widget_secret, else a random key per run")
    widget_session_days: int = Field(7, ge=1, le=365, description="days a widget conversation is kept by its cookie")
    widget_verified_minutes: int = Field(30, ge=1, le=1440, description="minutes after their last message that a "
                                         "shopper verified in the widget's chat stays verified when the page reloads")
    ui_workers: int = Field(8, ge=1, le=64, description="shopper turns answered at once (Gradio concurrency)")
    ui_max_conversations: int = Field(1000, ge=1, description="conversations whose assistant the web app keeps in "
                                      "memory; beyond it the least recently used is dropped (its messages stay saved; "
                                      "a verification made in its chat or an unconfirmed action ends)")
    max_message_chars: int = Field(4000, ge=1, description="longest chat message accepted")
    max_upload_bytes: int = Field(10_000_000, ge=1, description="largest file the staff console accepts")
    auth_max_failures_session: int = Field(3, ge=1, description="failed in-chat verifications per conversation")
    auth_max_failures_account: int = Field(5, ge=1, description="failed verifications per account per window")
    auth_lock_minutes: int = Field(15, ge=1, description="window and lock time of the per-account limit")
    login_max_failures: int = Field(5, ge=1, description="failed staff logins per user or client per window")
    login_lock_seconds: int = Field(300, ge=1, description="window and lock time of the login throttle")

    @property
    def db_path(self) -> Path:
        return self.data_dir / "shop.duckdb"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def threads_path(self) -> Path:
        return self.data_dir / "threads.sqlite"

    def ensure_dirs(self) -> None:
        for p in (self.data_dir, self.models_dir):
            p.mkdir(parents=True, exist_ok=True)
