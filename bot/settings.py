"""Settings from the environment and an optional `.env` file (docs/product.md §8), validated at start-up."""

from __future__ import annotations

from typing import Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseSettings):
    """What migrations need: only the database."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite:///prosjektbot.db"

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        if not value.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value


class Settings(DatabaseSettings):
    """Everything the processes need; a missing or malformed value stops start-up (see `load_settings`)."""

    slack_bot_token: str = Field(pattern=r"^xoxb-\S+$")
    slack_signing_secret: str = Field(min_length=8)
    slack_app_token: str | None = Field(default=None, pattern=r"^xapp-\S+$")
    slack_api_url: str = Field(default="https://slack.com/api/", pattern=r"^https?://\S+$")
    port: int = Field(default=3000, ge=1, le=65535)
    prosjekt_timezone: str = "Europe/Oslo"
    prosjekt_language: Literal["nb", "en"] = "nb"
    # Request threads wait only on the database (Slack calls run after the ack on their own pool); more contend.
    web_threads: int = Field(default=8, ge=1, le=256)
    slack_call_threads: int = Field(default=8, ge=1, le=256)

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("prosjekt_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone (use an IANA name such as Europe/Oslo)") from exc
        return value


class SettingsError(SystemExit):
    """Start-up stops with one line naming the setting."""


S = TypeVar("S", bound=DatabaseSettings)


def load_settings(kind: type[S] = Settings, **overrides: object) -> S:  # type: ignore[assignment]
    """Read settings; on a problem raise SettingsError whose message is one line naming the variable."""
    try:
        return kind(**overrides)  # type: ignore[arg-type]  # pydantic validates the values
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        problem = "is missing" if first["type"] == "missing" else f"is malformed: {first['msg']}"
        raise SettingsError(f"Configuration error: {name} {problem}") from None
