"""Signed webhooks: where a delivery may go and how one attempt is sent."""
