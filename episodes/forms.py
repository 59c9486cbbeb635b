"""Form fields shared by the admin of both apps (``claimdesk.weblinks``)."""

from claimdesk.weblinks import HttpURLField

__all__ = ["HttpURLField"]
