"""The registry schema version both backends migrate to (numbered steps, SPEC §14)."""

SCHEMA_VERSION = 2
