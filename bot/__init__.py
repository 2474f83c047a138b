"""holdwatch: FDA clinical-hold events, told in Slack."""

__version__ = "0.1.0"
