"""pubflow: publish a Chinese text in several editions through gettext and Sphinx."""

__version__ = "0.1.0"
