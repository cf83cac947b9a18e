"""Synthetic sample data for the cockpit ("Syntetiske eksempeldata")."""
