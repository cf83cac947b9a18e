"""Styringscockpit for det specialiserede voksenområde."""
