"""Ingest: getting municipal data into the cockpit database (sources/ reads the formats municipalities
already produce and hands contract tables to the importer)."""
