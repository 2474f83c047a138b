"""Configuration: settings from the environment and the sources file.

The only package that reads the environment; everything else receives
`Settings` and `SourceConfig` values as arguments.
"""

from bot.config.settings import DEFAULT_SOURCES_FILE, Settings, color_wanted, load_settings
from bot.config.sources_file import load_sources, parse_interval, usable_sources

__all__ = [
    "DEFAULT_SOURCES_FILE", "Settings", "color_wanted", "load_settings", "load_sources",
    "parse_interval", "usable_sources",
]
